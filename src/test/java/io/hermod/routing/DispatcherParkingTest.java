package io.hermod.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hermod.delivery.DeliveryReport;
import io.hermod.metrics.HermodMetrics;
import io.hermod.shaping.ShapingState;
import io.hermod.shaping.SiteHealth;
import io.hermod.shaping.SiteLimits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A dead site's parked messages: a message deferred again at its own retry time while its site is still dead is
 * parked once, not once per deferral, and a revived site releases each parked message once.
 */
class DispatcherParkingTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<String> released = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Jobs are message ids; every one of them fails at the connection level until {@code reachable}. */
  private Dispatcher<String> dispatcher(boolean[] reachable) {
    Dispatcher.Shaping shaping = new Dispatcher.Shaping(new SiteHealth.Settings(1, 1, 60_000, 60_000),
        new ShapingState(List.of()), () -> SiteLimits.DEFAULTS, 1000, new Dispatcher.Listener() {
          @Override
          public void release(List<String> ids) {
            released.addAll(ids);
          }

          @Override
          public void decided(ShapingState.Decision d) {
          }
        });
    Dispatcher.Jobs<String> jobs = new Dispatcher.Jobs<>(job -> "site.test", job -> job, List::of, (job, r) -> { });
    return new Dispatcher<>(vertx, Clock.systemUTC(), new Dispatcher.Limits(10, 10, 0, 100), shaping,
        DestinationLimits.perNode(10), DestinationLimits.perNodeRate(0), jobs,
        job -> Future.succeededFuture(new DeliveryReport(null, null, List.of(new DeliveryReport.Result(job,
            DeliveryReport.Outcome.DEFERRED, 451, "4.4.1", "connection refused", false)), !reachable[0])),
        HermodMetrics.noop());
  }

  private <T> T onContext(java.util.function.Supplier<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    vertx.runOnContext(v -> result.complete(action.get()));
    return result.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aMessageDeferredAgainWhileItsSiteIsDeadIsParkedOnce() throws Exception {
    boolean[] reachable = {false};
    Dispatcher<String> d = onContext(() -> dispatcher(reachable));
    List<String> reports = new ArrayList<>();
    onContext(() -> {
      d.submit("m0", r -> reports.add(r.results().get(0).text())); // the cohort of one: the site dies
      for (int round = 0; round < 3; round++) {       // then m1 and m2 come due three times while it is dead
        d.submit("m1", r -> reports.add(r.results().get(0).text()));
        d.submit("m2", r -> reports.add(r.results().get(0).text()));
      }
      return null;
    });
    JsonObject sites = onContext(() -> d.snapshot(10));
    JsonObject site = sites.getJsonArray("sites").getJsonObject(0);
    assertEquals("dead", site.getString("state"), site.encode());
    assertEquals(3, site.getInteger("parked"), "m0 (the cohort), m1, m2: once each");
    assertEquals(3, sites.getInteger("parked"));
    assertEquals(7, reports.size());
    assertEquals(6, reports.stream().filter(t -> t.startsWith("delivery temporarily suspended: 451 4.4.1")).count());
  }
}
