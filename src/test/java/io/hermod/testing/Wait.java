package io.hermod.testing;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A bounded wait for a condition, polled every 10 ms, for tests that watch another process or node. */
public final class Wait {

  private Wait() {
  }

  /** Returns once {@code condition} holds; fails with {@code what} if it does not within {@code seconds}. */
  public static void until(BooleanSupplier condition, String what, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + seconds + " s: " + what);
      }
      Thread.sleep(10);
    }
  }
}
