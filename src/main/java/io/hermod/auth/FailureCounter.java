package io.hermod.auth;

import java.util.function.LongSupplier;

/**
 * Failed AUTH attempts per client IP within a window, for brute-force throttling: a {@link WindowCounter}
 * (bounded to {@code maxEntries} addresses, least recently seen dropped first) with a threshold.
 * Shared by every listener: thread-safe.
 */
public final class FailureCounter {

  private final int maxFailures;
  private final WindowCounter counter;

  public FailureCounter(int maxFailures, long windowMillis, int maxEntries, LongSupplier clockMillis) {
    this.maxFailures = maxFailures;
    this.counter = new WindowCounter(windowMillis, maxEntries, clockMillis);
  }

  /** True when {@code ip} has used up its failures within the window: AUTH is refused (454 4.7.0). */
  public boolean blocked(String ip) {
    return counter.count(ip) >= maxFailures;
  }

  /** Counts one failure; true when that used up the last one (the session is closed with 421). */
  public boolean recordFailure(String ip) {
    return counter.increment(ip) >= maxFailures;
  }

  int tracked() {
    return counter.tracked();
  }
}
