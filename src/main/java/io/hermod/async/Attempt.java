package io.hermod.async;

import io.vertx.core.Future;

import java.util.function.Supplier;

/** Starting asynchronous work whose starter may throw: the throw becomes the future's failure, like any other. */
public final class Attempt {

  private Attempt() {
  }

  /** {@code start}'s future; a {@link RuntimeException} thrown by {@code start} is a failed future. */
  public static <T> Future<T> of(Supplier<Future<T>> start) {
    try {
      return start.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
