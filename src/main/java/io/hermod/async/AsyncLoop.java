package io.hermod.async;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * Runs one asynchronous step per item of an iterator, one step at a time, in constant stack depth whatever
 * the number of items: a step whose future is already complete is followed in the same loop iteration
 * (never by a nested call), and a pending one resumes the loop from its completion handler. The loop's
 * future completes once, after the last step, never from inside another step's completion chain.
 */
public final class AsyncLoop<T> {

  private final Iterator<? extends T> items;
  private final Function<? super T, Future<Boolean>> step;
  private final Promise<Void> done = Promise.promise();

  private AsyncLoop(Iterator<? extends T> items, Function<? super T, Future<Boolean>> step) {
    this.items = items;
    this.step = step;
  }

  /**
   * Calls {@code step} for each item in order, each after the previous one's future completed. A step
   * answering {@code false} stops the loop (success); a step that fails or throws fails the loop with its
   * cause (a step that must not stop the loop recovers its own failures).
   */
  public static <T> Future<Void> forEach(Iterator<? extends T> items, Function<? super T, Future<Boolean>> step) {
    AsyncLoop<T> loop = new AsyncLoop<>(items, step);
    loop.drive();
    return loop.done.future();
  }

  /**
   * As {@link #forEach}, with up to {@code inFlight} steps running at once (e.g. spool operations that share a
   * group commit, without flooding its bounded I/O queue). Call on one Vert.x context: the steps share the
   * iterator. Completes once every step did; fails with the first failure.
   */
  public static <T> Future<Void> forEach(Iterator<? extends T> items, int inFlight,
                                         Function<? super T, Future<Boolean>> step) {
    List<Future<Void>> loops = new ArrayList<>(inFlight);
    for (int i = 0; i < inFlight; i++) {
      loops.add(forEach(items, step));
    }
    return Future.all(loops).mapEmpty();
  }

  private void drive() {
    try {
      while (items.hasNext()) {
        Future<Boolean> next = step.apply(items.next());
        if (!next.isComplete()) {
          next.onComplete(ar -> {
            if (proceed(ar.succeeded(), ar.result(), ar.cause())) {
              drive();
            }
          });
          return;
        }
        if (!proceed(next.succeeded(), next.result(), next.cause())) {
          return;
        }
      }
      done.tryComplete();
    } catch (RuntimeException e) {
      done.tryFail(e);
    }
  }

  /** True to go on with the next item; otherwise completes the loop. */
  private boolean proceed(boolean succeeded, Boolean more, Throwable cause) {
    if (!succeeded) {
      done.tryFail(cause);
      return false;
    }
    if (Boolean.FALSE.equals(more)) {
      done.tryComplete();
      return false;
    }
    return true;
  }
}
