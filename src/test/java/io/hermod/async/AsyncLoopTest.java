package io.hermod.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 18: 10^5 steps, completed synchronously or one event-loop hop later, in constant stack depth. */
class AsyncLoopTest {

  static final int STEPS = 100_000;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static List<Integer> items() {
    return IntStream.range(0, STEPS).boxed().toList();
  }

  @Test
  void aHundredThousandSynchronousStepsRunInOrder() throws Exception {
    List<Integer> seen = new ArrayList<>();
    Future<Void> loop = AsyncLoop.forEach(items().iterator(), i -> {
      seen.add(i);
      return Future.succeededFuture(true);
    });
    assertTrue(loop.succeeded(), () -> String.valueOf(loop.cause()));
    assertEquals(items(), seen);
  }

  @Test
  void aHundredThousandStepsEachOneHopLaterRunInOrder() throws Exception {
    List<Integer> seen = new ArrayList<>();
    Promise<Void> result = Promise.promise();
    vertx.runOnContext(v -> AsyncLoop.forEach(items().iterator(), i -> {
      seen.add(i);
      Promise<Boolean> later = Promise.promise();
      vertx.runOnContext(x -> later.complete(true));
      return later.future();
    }).onComplete(result));
    result.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(items(), seen);
  }

  @Test
  void aStepAnsweringFalseStopsTheLoop() {
    List<Integer> seen = new ArrayList<>();
    Future<Void> loop = AsyncLoop.forEach(items().iterator(), i -> {
      seen.add(i);
      return Future.succeededFuture(i < 9);
    });
    assertTrue(loop.succeeded());
    assertEquals(10, seen.size());
  }

  @Test
  void aFailingOrThrowingStepFailsTheLoopWithItsCause() {
    IllegalStateException boom = new IllegalStateException("boom");
    Future<Void> failed = AsyncLoop.forEach(items().iterator(), i -> i == 5 ? Future.failedFuture(boom)
        : Future.succeededFuture(true));
    assertSame(boom, failed.cause());
    Future<Void> thrown = AsyncLoop.forEach(items().iterator(), i -> {
      if (i == 7) {
        throw boom;
      }
      return Future.succeededFuture(true);
    });
    assertSame(boom, thrown.cause());
  }

  @Test
  void serialQueueRunsAHundredThousandStepsQueuedBehindAPendingOneInOrder() {
    SerialQueue queue = new SerialQueue();
    Promise<Void> first = Promise.promise();
    List<Integer> seen = new ArrayList<>();
    List<Future<Void>> results = new ArrayList<>();
    results.add(queue.submit(first::future));
    for (int i = 0; i < STEPS; i++) {
      int n = i;
      results.add(queue.submit(() -> {
        seen.add(n);
        return n % 2 == 0 ? Future.succeededFuture() : Future.failedFuture("odd " + n);
      }));
    }
    assertTrue(seen.isEmpty(), "nothing runs before the first step completed");
    first.complete(); // with a chain of futures this completion cascaded 10^5 levels deep
    assertEquals(STEPS, seen.size());
    assertEquals(IntStream.range(0, STEPS).boxed().toList(), seen);
    assertTrue(results.get(1).succeeded());
    assertTrue(results.get(2).failed(), "a step's own failure is its result, and the queue goes on");
  }

  @Test
  void serialQueueRunsAStepSubmittedFromACompletionInSubmissionOrder() {
    SerialQueue queue = new SerialQueue();
    List<String> order = new ArrayList<>();
    queue.submit(() -> {
      order.add("a");
      return Future.succeededFuture();
    }).onComplete(x -> queue.submit(() -> {
      order.add("c");
      return Future.succeededFuture();
    }));
    queue.submit(() -> {
      order.add("b");
      return Future.succeededFuture();
    });
    assertEquals(List.of("a", "c", "b"), order, "in submission order: c was queued (by a's completion) before b");
  }
}
