package io.hermod.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hermod.delivery.DeliveryReport;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: 10^5 jobs wait behind one that is slow; once it answers, every waiting job whose sender answers
 * at once (as a job decided without a connection does) is sent and reported, without a nested call per job.
 */
class DispatcherDepthTest {

  static final int JOBS = 100_000;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aHundredThousandJobsAnsweredSynchronouslyAfterASlowOneAreAllReported() throws Exception {
    CompletableFuture<List<Integer>> reported = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      Promise<DeliveryReport> slow = Promise.promise();
      List<Integer> order = new ArrayList<>();
      Dispatcher<Integer> dispatcher = new Dispatcher<>(vertx, Clock.systemUTC(),
          new Dispatcher.Limits(1, 1, 0, 100), job -> "site.test",
          job -> job == 0 ? slow.future() : Future.succeededFuture(new DeliveryReport(null, null, List.of())));
      for (int i = 0; i <= JOBS; i++) {
        int job = i;
        dispatcher.submit(job, report -> {
          order.add(job);
          if (order.size() == JOBS + 1) {
            reported.complete(order);
          }
        });
      }
      slow.complete(new DeliveryReport(null, null, List.of()));
    });
    List<Integer> order = reported.get(30, TimeUnit.SECONDS);
    assertEquals(JOBS + 1, order.size());
    for (int i = 0; i <= JOBS; i++) {
      assertEquals(i, order.get(i), "jobs of one destination go in order");
    }
  }
}
