package io.hermod.flow;

import java.util.function.LongSupplier;

/**
 * A {@link Backlog} read from a source at most once per interval: the queue index's READY count takes its lock
 * and walks its due lists, while flow control asks at every transaction (thousands a second). A sample a
 * hundredth of a second old steers intake as well as a fresh one; a tenth of a second was too coarse (a fast
 * client committed a hundred messages unchecked in between, FlowBackpressureTest).
 */
public final class SampledBacklog implements Backlog {

  private final LongSupplier source;
  private final LongSupplier nanoClock;
  private final long intervalNanos;
  private volatile long value;
  private volatile long readAt;
  private volatile boolean read;

  public SampledBacklog(LongSupplier source, long intervalMillis, LongSupplier nanoClock) {
    this.source = source;
    this.nanoClock = nanoClock;
    this.intervalNanos = intervalMillis * 1_000_000L;
  }

  @Override
  public long due() {
    long now = nanoClock.getAsLong();
    if (!read || now - readAt >= intervalNanos) {
      // Two threads may both read the source once at the boundary: harmless, and no lock on the hot path.
      value = source.getAsLong();
      readAt = now;
      read = true;
    }
    return value;
  }
}
