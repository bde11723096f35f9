package io.hermod.routing;

import static io.hermod.routing.FakeDelivery.report;
import static io.hermod.routing.FakeDelivery.result;
import static io.hermod.routing.RouterFixture.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.api.Addresses;
import io.hermod.delivery.DeliveryReport.Outcome;
import io.hermod.testing.LogCapture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outcomes the router decides without a delivery attempt are in the delivery log like the attempts are
 * (issue #16): {@code <id>: to=<...>, relay=none, delay=..., dsn=..., status=bounced|deferred (reply)}, and the
 * DSN's queue id ({@code <id>: sender non-delivery notification: <dsnid>}), not only in metrics and events.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RouterDecisionLogTest {

  @TempDir
  Path dir;
  private RouterFixture f;
  private LogCapture log;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    f = new RouterFixture(vertx, dir);
    log = new LogCapture("io.hermod.delivery");
  }

  @AfterEach
  void tearDown() throws Exception {
    log.close();
    f.close();
  }

  @Test
  void anUnknownDomainIsLoggedAsBouncedWithItsDsn() throws Exception {
    f.configure(new JsonObject()).start();
    String id = f.submit(f.envelope("sender@local.test", "x@missing.test"));

    until("DSN queued, original removed", () -> !f.queued().contains(id) && f.queued().size() == 1);
    String dsnId = f.queued().get(0);
    until("logged", () -> lines(id).size() == 2);
    assertLine(lines(id).get(0), id + ": to=<x@missing.test>, relay=none, delay=",
        ", dsn=5.1.2, class=BadDomain, status=bounced (550 5.1.2 Host or domain name not found: missing.test)");
    assertEquals(id + ": sender non-delivery notification: " + dsnId, lines(id).get(1));
  }

  @Test
  void aNullMxIsLoggedAsBounced() throws Exception {
    f.dns.nullMx("nomail.test");
    f.configure(new JsonObject()).start();
    String id = f.submit(f.envelope("sender@local.test", "x@nomail.test"));

    until("logged", () -> lines(id).size() == 2);
    assertLine(lines(id).get(0), id + ": to=<x@nomail.test>, relay=none, delay=",
        ", dsn=5.1.10, class=BadDomain, status=bounced (556 5.1.10 Domain nomail.test does not accept mail (null MX))");
    assertTrue(lines(id).get(1).startsWith(id + ": sender non-delivery notification: "), lines(id).get(1));
  }

  /** A message for a domain whose DNS answers SERVFAIL: deferred for an hour. */
  private String submitToAFailingDomain() throws Exception {
    f.dns.servfail("flaky.test");
    f.configure(new JsonObject().put("delivery", new JsonObject().put("retryInitialSeconds", 3600)
        .put("retryMaxSeconds", 3600))).start();
    return f.submit(f.envelope("sender@local.test", "x@flaky.test"));
  }

  @Test
  void aDnsFailureIsLoggedAsDeferred() throws Exception {
    String id = submitToAFailingDomain();

    until("logged", () -> lines(id).size() == 1);
    assertLine(lines(id).get(0), id + ": to=<x@flaky.test>, relay=none, delay=", ", dsn=4.4.3, class=DNSFailure, status=deferred (451 4.4.3 ");
  }

  /** The delivery side logged its attempt as deferred; that the lifetime is over is the router's line. */
  @Test
  void anExpiredMessageIsLoggedAsBouncedWithItsTimeInTheQueue() throws Exception {
    f.configure(new JsonObject().put("delivery", new JsonObject().put("lifetimeSeconds", 3600))).start();
    f.dns.mx("remote.test", 10, "mx.remote.test").a("mx.remote.test", "192.0.2.1");
    f.delivery.answer(job -> Future.succeededFuture(report(job, a -> result(a, Outcome.DEFERRED, 451, "4.4.1",
        "connection refused"))));
    String id = f.submit(f.envelope("sender@local.test", Instant.now().minus(Duration.ofHours(2)), "bob@remote.test"));

    until("logged", () -> lines(id).size() == 2);
    assertLine(lines(id).get(0), id + ": to=<bob@remote.test>, relay=none, delay=720",
        ", dsn=4.4.7, class=MessageExpired, status=bounced (451 4.4.7 delivery time expired, last reply: 451 4.4.1 connection refused)");
    assertTrue(lines(id).get(1).startsWith(id + ": sender non-delivery notification: "), lines(id).get(1));
  }

  @Test
  void anOperatorBounceIsLogged() throws Exception {
    String id = submitToAFailingDomain();
    until("deferred and idle", () -> lines(id).size() == 1 && !f.router.isActive(id));

    RouterFixture.await(f.vertx.eventBus().request(Addresses.ROUTER_BOUNCE, new JsonObject().put("id", id)));
    until("DSN queued, original removed", () -> !f.queued().contains(id) && f.queued().size() == 1);
    String dsnId = f.queued().get(0);
    until("logged", () -> lines(id).size() == 3);
    assertLine(lines(id).get(1), id + ": to=<x@flaky.test>, relay=none, delay=",
        ", dsn=5.0.0, class=Uncategorized, status=bounced (550 5.0.0 bounced by operator)");
    assertEquals(id + ": sender non-delivery notification: " + dsnId, lines(id).get(2));
  }

  private List<String> lines(String id) {
    return log.messages().stream().filter(m -> m.startsWith(id + ": ")).toList();
  }

  /** {@code line} is {@code head}, a delay in seconds with two decimals, then {@code tail} (a prefix of the rest). */
  private static void assertLine(String line, String head, String tail) {
    assertTrue(line.startsWith(head), line);
    String rest = line.substring(head.length());
    assertTrue(rest.matches("\\d*\\.\\d\\d\\Q" + tail + "\\E.*"), line);
  }
}
