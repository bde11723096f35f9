package io.hermod.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hermod.delivery.DeliveryBatch;
import io.hermod.delivery.DeliveryReport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #17: when a queue's connections are all busy, the next free one takes its share of the waiting jobs in
 * one request (at most Batching.maxJobs); jobs a batch's reply has no report for go back to the head of the
 * queue; a failed batch request is sent again whole after the requeue delay. Jobs are numbers, all to one site.
 */
class DispatcherBatchTest {

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  /** Every request as the jobs it carried, in the order sent. */
  private final List<List<Integer>> sent = Collections.synchronizedList(new ArrayList<>());
  private final List<Promise<DeliveryReport>> singles = Collections.synchronizedList(new ArrayList<>());
  private final List<Promise<List<DeliveryReport>>> batches = Collections.synchronizedList(new ArrayList<>());
  private final List<DeliveryBatch.Progress> progress = Collections.synchronizedList(new ArrayList<>());
  private final List<Integer> reported = Collections.synchronizedList(new ArrayList<>());
  private Dispatcher<Integer> dispatcher;

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private <T> T on(Supplier<T> action) throws Exception {
    CompletableFuture<T> done = new CompletableFuture<>();
    context.runOnContext(v -> done.complete(action.get()));
    return done.get(10, TimeUnit.SECONDS);
  }

  private void start(int maxPerSite, int maxJobs) throws Exception {
    on(() -> {
      dispatcher = new Dispatcher<>(vertx, Clock.systemUTC(), new Dispatcher.Limits(100, maxPerSite, 0, 100),
          job -> "site.test", job -> {
            sent.add(List.of(job));
            Promise<DeliveryReport> p = Promise.promise();
            singles.add(p);
            return p.future();
          });
      dispatcher.batching(new Dispatcher.Batching<>(() -> maxJobs, (jobs, told) -> {
        sent.add(List.copyOf(jobs));
        progress.add(told);
        Promise<List<DeliveryReport>> p = Promise.promise();
        batches.add(p);
        return p.future();
      }));
      return null;
    });
  }

  private void submit(int from, int to) throws Exception {
    on(() -> {
      for (int i = from; i <= to; i++) {
        int job = i;
        dispatcher.submit(job, report -> reported.add(job));
      }
      return null;
    });
  }

  /** Waits (at most 10 s) until {@code count} requests were sent. */
  private void awaitRequests(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (sent.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  private static DeliveryReport report() {
    return new DeliveryReport("mx", "127.0.0.1", List.of());
  }

  private void answerSingle(int index) throws Exception {
    on(() -> singles.get(index).tryComplete(report()));
  }

  private void answerBatch(int index, int reports) throws Exception {
    on(() -> batches.get(index).tryComplete(Collections.nCopies(reports, report())));
  }

  @Test
  void aFreedConnectionTakesItsShareOfTheWaitingJobsUpToTheMaximum() throws Exception {
    start(2, 4);
    submit(1, 9);
    assertEquals(List.of(List.of(1), List.of(2)), sent, "while connections are free, a job each");

    answerSingle(0);
    answerSingle(1);
    assertEquals(List.of(List.of(1), List.of(2), List.of(3, 4, 5, 6), List.of(7, 8, 9)), sent,
        "7 waiting, 1 connection free: 4 (the maximum); then 3 waiting, 1 free: 3");

    answerBatch(0, 4);
    answerBatch(1, 3);
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9), reported);
    assertEquals(0, (int) on(() -> dispatcher.inFlight()));
  }

  @Test
  void jobsAReplyHasNoReportForAreNextInLine() throws Exception {
    start(1, 10);
    submit(1, 5);
    answerSingle(0); // 2..5 go as one batch
    submit(6, 6);
    answerBatch(0, 2); // 2 and 3 reported; 4 and 5 were not attempted

    assertEquals(List.of(List.of(1), List.of(2, 3, 4, 5), List.of(4, 5, 6)), sent,
        "4 and 5 go again before 6, which waited behind them");
    answerBatch(1, 3);
    assertEquals(List.of(1, 2, 3, 4, 5, 6), reported, "each job reported once");
  }

  @Test
  void aFailedBatchIsSentAgainWholeAfterTheRequeueDelay() throws Exception {
    start(1, 10);
    submit(1, 3);
    answerSingle(0); // 2 and 3 go as one batch
    on(() -> batches.get(0).tryFail("no consumer"));
    awaitRequests(3); // after the requeue delay
    assertEquals(List.of(List.of(1), List.of(2, 3), List.of(2, 3)), sent);
    answerBatch(1, 2);
    assertEquals(List.of(1, 2, 3), reported, "nothing reported for the failed request");
  }

  @Test
  void eachReportIsTakenAsItComesAndNoneTwice() throws Exception {
    start(1, 10);
    submit(1, 4);
    answerSingle(0); // 2, 3 and 4 go as one batch
    on(() -> {
      DeliveryBatch.Progress told = progress.get(0);
      told.reported(0, report());
      told.reported(0, report()); // told twice: taken once
      told.reported(2, report()); // out of order: not taken
      return null;
    });
    assertEquals(List.of(1, 2), reported, "2 is recorded before the batch ends");

    answerBatch(0, 3);
    assertEquals(List.of(1, 2, 3, 4), reported, "the reply brings the reports not yet taken");
    on(() -> {
      progress.get(0).reported(2, report()); // after the reply: dropped
      return null;
    });
    assertEquals(List.of(1, 2, 3, 4), reported);
  }

  @Test
  void aFailedBatchSendsAgainOnlyTheJobsNotYetReported() throws Exception {
    start(1, 10);
    submit(1, 4);
    answerSingle(0); // 2, 3 and 4 go as one batch
    on(() -> {
      progress.get(0).reported(0, report());
      return batches.get(0).tryFail("timeout");
    });
    awaitRequests(3); // after the requeue delay
    assertEquals(List.of(List.of(1), List.of(2, 3, 4), List.of(3, 4)), sent);
    on(() -> {
      progress.get(0).reported(1, report()); // the failed batch's late report: dropped
      return null;
    });
    answerBatch(1, 2);
    assertEquals(List.of(1, 2, 3, 4), reported);
  }

  @Test
  void withAMaximumOfOneEveryJobIsItsOwnRequest() throws Exception {
    start(1, 1);
    submit(1, 3);
    answerSingle(0);
    answerSingle(1);
    answerSingle(2);
    assertEquals(List.of(List.of(1), List.of(2), List.of(3)), sent);
    assertEquals(List.of(1, 2, 3), reported);
  }
}
