package io.hermod.webhook;

import java.util.function.DoubleSupplier;

/**
 * How long a failed batch waits before it is POSTed again: exponential from {@code initialMillis}, doubling per
 * consecutive failure up to {@code maxMillis}, with "equal jitter" (half the step fixed, half random) so that
 * many nodes whose endpoint came back do not all retry in the same instant, while the delay still grows.
 */
final class RetryBackoff {

  private final long initialMillis;
  private final long maxMillis;
  private final DoubleSupplier random; // uniform in [0, 1)

  RetryBackoff(long initialMillis, long maxMillis, DoubleSupplier random) {
    if (initialMillis < 1 || maxMillis < initialMillis) {
      throw new IllegalArgumentException("backoff " + initialMillis + ".." + maxMillis);
    }
    this.initialMillis = initialMillis;
    this.maxMillis = maxMillis;
    this.random = random;
  }

  /** The step without jitter after {@code failures} consecutive failures (1 = the first): initial * 2^(n-1), capped. */
  long step(int failures) {
    if (failures < 1) {
      return 0;
    }
    int doublings = Math.min(failures - 1, 62);
    long step = initialMillis;
    for (int i = 0; i < doublings && step < maxMillis; i++) {
      step *= 2;
    }
    return Math.min(step, maxMillis);
  }

  /** The delay to wait after {@code failures} consecutive failures: between half the step and the step. */
  long delayMillis(int failures) {
    long step = step(failures);
    long half = step / 2;
    return half + (long) (random.getAsDouble() * (step - half));
  }
}
