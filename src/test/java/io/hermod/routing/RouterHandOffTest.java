package io.hermod.routing;

import static io.hermod.routing.RouterFixture.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.delivery.DeliveryJob;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router takes a just-committed message's envelope from {@link RecentEnvelopes} instead of reading it back
 * from the spool (issue #17), and routes it exactly as from disk. (Every other router test runs with the hand-off
 * too, as Hermod does: deferrals, partial deliveries, DSNs, operator bounces.)
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RouterHandOffTest {

  @TempDir
  Path dir;
  private RouterFixture f;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    f = new RouterFixture(vertx, dir);
    f.dns.mx("remote.test", 10, "mx1.remote.test").a("mx1.remote.test", "192.0.2.1");
  }

  @AfterEach
  void tearDown() throws Exception {
    f.close();
  }

  @Test
  void newMessagesAreRoutedWithoutReadingTheirEnvelopesBack() throws Exception {
    DeepQueueRouterTest.CountingSpool counting = routeThree();
    assertEquals(0, counting.loads.get(), "envelope reads");
  }

  @Test
  void withoutTheHandOffEveryEnvelopeIsReadBack() throws Exception {
    f.handOff = false;
    DeepQueueRouterTest.CountingSpool counting = routeThree();
    assertTrue(counting.loads.get() >= 3, "envelope reads: " + counting.loads.get());
  }

  /** Three messages submitted as the listener does, delivered and removed; the jobs are what the envelopes say. */
  private DeepQueueRouterTest.CountingSpool routeThree() throws Exception {
    f.configure(new JsonObject()).openSpool();
    DeepQueueRouterTest.CountingSpool counting = new DeepQueueRouterTest.CountingSpool(f.spool);
    f.spool = counting;
    f.start();
    List<String> ids = List.of(
        f.submit(f.envelope("a@local.test", "one@remote.test")),
        f.submit(f.envelope("b@local.test", "two@remote.test", "three@remote.test")),
        f.submit(f.envelope("c@local.test", "four@remote.test")));
    until("all delivered and removed", () -> f.delivery.jobs.size() == 3 && f.queued().isEmpty());
    for (String id : ids) {
      DeliveryJob job = f.delivery.jobs.stream().map(FakeDelivery.Received::job)
          .filter(j -> j.queueId().equals(id)).findFirst().orElseThrow();
      assertEquals(RouterFixture.MESSAGE.length, job.contentLength());
    }
    DeliveryJob second = f.delivery.jobs.stream().map(FakeDelivery.Received::job)
        .filter(j -> j.queueId().equals(ids.get(1))).findFirst().orElseThrow();
    assertEquals("b@local.test", second.sender());
    assertEquals(List.of("two@remote.test", "three@remote.test"),
        second.recipients().stream().map(DeliveryJob.Rcpt::address).toList());
    return counting;
  }
}
