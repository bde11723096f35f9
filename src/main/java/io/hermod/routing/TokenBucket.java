package io.hermod.routing;

/**
 * A token bucket for one destination's job rate: {@code ratePerSecond} tokens a second, bursts of at most
 * {@code ratePerSecond} jobs. Time comes in as milliseconds, so the bucket is pure.
 */
final class TokenBucket {

  private final double ratePerSecond;
  private double tokens;
  private long lastMillis;

  TokenBucket(int ratePerSecond, long nowMillis) {
    this.ratePerSecond = ratePerSecond;
    this.tokens = ratePerSecond;
    this.lastMillis = nowMillis;
  }

  /** True when the bucket has refilled completely: forgetting it then changes nothing. */
  boolean isFull(long nowMillis) {
    return tokens + (nowMillis - lastMillis) * ratePerSecond / 1000.0 >= ratePerSecond;
  }

  /** Takes a token and returns 0, or returns how many milliseconds until one is available. */
  long tryTake(long nowMillis) {
    if (nowMillis > lastMillis) {
      tokens = Math.min(ratePerSecond, tokens + (nowMillis - lastMillis) * ratePerSecond / 1000.0);
      lastMillis = nowMillis;
    }
    if (tokens >= 1.0) {
      tokens -= 1.0;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1.0 - tokens) * 1000.0 / ratePerSecond));
  }
}
