package io.hermod.async;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * Runs asynchronous steps strictly one after another, in the order they were submitted, whatever their
 * outcome, in constant stack depth: steps wait in a queue (not as a chain of futures, whose completions
 * would cascade one nested call per queued step). Not thread-safe: use it from one Vert.x context.
 */
public final class SerialQueue {

  private record Step(Supplier<Future<Void>> work, Promise<Void> result) {
  }

  private final ArrayDeque<Step> pending = new ArrayDeque<>();
  private boolean running;

  /** Queues {@code work}; it starts once every step queued before it has completed. */
  public Future<Void> submit(Supplier<Future<Void>> work) {
    Promise<Void> result = Promise.promise();
    pending.add(new Step(work, result));
    if (!running) {
      drain();
    }
    return result.future();
  }

  private void drain() {
    running = true;
    Step step;
    while ((step = pending.poll()) != null) {
      Future<Void> outcome = start(step);
      if (!outcome.isComplete()) {
        Step current = step;
        outcome.onComplete(ar -> {
          current.result().handle(ar);
          drain();
        });
        return; // running stays true: the completion handler resumes the queue
      }
      step.result().handle(outcome); // callbacks that submit more only queue: running is true
    }
    running = false;
  }

  private static Future<Void> start(Step step) {
    Future<Void> f = Attempt.of(step.work());
    return f == null ? Future.succeededFuture() : f;
  }
}
