package io.hermod.routing;

/**
 * A token bucket for one destination's job rate: {@code ratePerSecond} tokens a second, bursts of at most
 * {@code max(1, ratePerSecond)} jobs. The rate may change (a node's share of a cluster-wide rate,
 * docs/cluster.md) and may be below one a second, or 0 (no job until it grows). Time comes in as
 * milliseconds, so the bucket is pure.
 */
final class TokenBucket {

  /** How long a bucket at rate 0 says to wait: the dispatcher looks again then (or when the rate grows). */
  static final long IDLE_WAIT_MILLIS = 1000;

  private double ratePerSecond;
  private double tokens;
  private long lastMillis;

  TokenBucket(double ratePerSecond, long nowMillis) {
    this.ratePerSecond = ratePerSecond;
    this.tokens = burst();
    this.lastMillis = nowMillis;
  }

  /** From {@code nowMillis} on the bucket fills at {@code perSecond}; tokens above the new burst are dropped. */
  void rate(double perSecond, long nowMillis) {
    if (perSecond == ratePerSecond) {
      return;
    }
    refill(nowMillis);
    ratePerSecond = perSecond;
    tokens = Math.min(tokens, burst());
  }

  /** True when the bucket has refilled completely: forgetting it then changes nothing. */
  boolean isFull(long nowMillis) {
    return tokens + (nowMillis - lastMillis) * ratePerSecond / 1000.0 >= burst();
  }

  /** Takes a token and returns 0, or returns how many milliseconds until one is available. */
  long tryTake(long nowMillis) {
    refill(nowMillis);
    if (tokens >= 1.0) {
      tokens -= 1.0;
      return 0;
    }
    if (ratePerSecond <= 0) {
      return IDLE_WAIT_MILLIS;
    }
    return Math.max(1, (long) Math.ceil((1.0 - tokens) * 1000.0 / ratePerSecond));
  }

  private void refill(long nowMillis) {
    if (nowMillis > lastMillis) {
      tokens = Math.min(burst(), tokens + (nowMillis - lastMillis) * ratePerSecond / 1000.0);
      lastMillis = nowMillis;
    }
  }

  private double burst() {
    return ratePerSecond <= 0 ? 0 : Math.max(1.0, ratePerSecond);
  }
}
