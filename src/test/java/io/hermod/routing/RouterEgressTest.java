package io.hermod.routing;

import static io.hermod.routing.FakeDelivery.report;
import static io.hermod.routing.FakeDelivery.result;
import static io.hermod.routing.RouterFixture.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.delivery.DeliveryJob;
import io.hermod.delivery.DeliveryReport.Outcome;
import io.hermod.spool.Envelope;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The router names each job's egress source: by the message's pool, weighted, passing over suspended queues. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RouterEgressTest {

  private static final String SITE = "mx1.remote.test,mx2.remote.test:2525"; // the fixture delivers on 2525

  @TempDir
  Path dir;
  private RouterFixture f;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    f = new RouterFixture(vertx, dir);
    f.dns.mx("remote.test", 20, "mx2.remote.test").mx("remote.test", 10, "mx1.remote.test")
        .a("mx1.remote.test", "192.0.2.1").a("mx2.remote.test", "192.0.2.2");
  }

  @AfterEach
  void tearDown() throws Exception {
    f.close();
  }

  private void start(JsonObject pools, JsonObject delivery) throws Exception {
    f.configure(new JsonObject().put("delivery", new JsonObject(
        "{\"sources\": {\"ip1\": {\"address\": \"127.0.0.2\", \"ehlo\": \"out1.example\"},"
            + " \"ip2\": {\"address\": \"127.0.0.3\"}},"
            + " \"poolSelection\": {\"senderDomains\": {\"news.test\": \"p\"}}}")
        .put("pools", pools).mergeIn(delivery))).start();
  }

  @Test
  void theSenderDomainsPoolNamesTheSourceAndOtherMailHasNone() throws Exception {
    start(new JsonObject().put("p", new JsonObject().put("ip1", 1)), new JsonObject());
    String news = f.submit(f.envelope("letter@news.test", "a@remote.test"));
    String other = f.submit(f.envelope("someone@elsewhere.test", "b@remote.test"));
    until("both delivered", () -> f.queued().isEmpty());
    DeliveryJob newsJob = jobOf(news);
    assertEquals("ip1", newsJob.source());
    assertEquals(SITE, newsJob.site());
    assertEquals("ip1->" + SITE, newsJob.queueKey());
    assertNull(jobOf(other).source());
    assertEquals(SITE, jobOf(other).queueKey());
  }

  @Test
  void theRequestedPoolComesFirstAndAWeightedPoolSpreadsItsJobs() throws Exception {
    start(new JsonObject().put("p", new JsonObject().put("ip1", 1))
        .put("bulk", new JsonObject().put("ip1", 1).put("ip2", 3)), new JsonObject());
    for (int i = 0; i < 8; i++) {
      Envelope env = f.envelope("letter@news.test", "r" + i + "@remote.test").withPool("bulk");
      f.submit(env);
    }
    until("all delivered", () -> f.queued().isEmpty());
    Map<String, Long> bySource = f.delivery.jobs.stream()
        .collect(Collectors.groupingBy(r -> r.job().source(), Collectors.counting()));
    assertEquals(Map.of("ip1", 2L, "ip2", 6L), bySource);
  }

  @Test
  void aSuspendedSourceOfThePoolIsPassedOverForThatSite() throws Exception {
    start(new JsonObject().put("p", new JsonObject().put("ip1", 1).put("ip2", 1)),
        new JsonObject().put("suspendSeconds", 30).put("retryInitialSeconds", 3600).put("retryMaxSeconds", 3600));
    f.delivery.answer(job -> Future.succeededFuture(f.delivery.jobs.size() == 1
        ? report(job, a -> result(a, Outcome.DEFERRED, 421, "4.7.0", "too many connections from your IP"))
        : FakeDelivery.deliverAll(job).result()));
    String first = f.submit(f.envelope("letter@news.test", "a@remote.test"));
    until("deferred", () -> f.eventsFor(first).size() == 1);
    String throttled = jobOf(first).source();
    for (int i = 0; i < 4; i++) {
      f.submit(f.envelope("letter@news.test", "r" + i + "@remote.test"));
    }
    // Without the preference two of them would wait 30 s in the suspended (source, site) queue.
    until("the other four delivered", () -> f.queued().size() == 1);
    List<String> later = f.delivery.jobs.stream().skip(1).map(r -> r.job().source()).toList();
    assertEquals(4, later.size());
    assertTrue(later.stream().noneMatch(throttled::equals), throttled + " was suspended: " + later);
  }

  private DeliveryJob jobOf(String id) {
    return f.delivery.jobs.stream().map(FakeDelivery.Received::job).filter(j -> j.queueId().equals(id))
        .findFirst().orElseThrow();
  }
}
