package io.hermod.flow;

import io.hermod.config.FlowConfig;

/**
 * How long a new transaction waits before its reply, from the backlog of due mail (Postfix's in_flow_delay,
 * as a proportional controller): nothing while the backlog is at or below {@code flow.backlogLow}, nor while it
 * has been above it for less than {@code flow.burstSeconds} (a short burst is absorbed in full); then a delay
 * rising linearly from 0 at the low mark to {@code flow.maxDelayMillis} at {@code flow.backlogHigh}, and no more
 * beyond. Once engaged it stays engaged until the backlog is back at or below the low mark (hysteresis: a dip
 * of the backlog inside the ramp does not restart the burst allowance).
 *
 * <p>Why it bounds the backlog: S sessions that each wait d ms per message offer at most S / d messages a ms;
 * the backlog grows only while that is above the delivery rate R, so it settles where the delay is about
 * S / R (minus a transaction's own time): low in the ramp for ordinary loads. It stays below
 * {@code backlogHigh} as long as S / R is below {@code maxDelayMillis}, e.g. up to 2,000 concurrent senders at
 * 2,000 deliveries a second with the defaults; more senders than that push it past the high mark (every
 * transaction then waits the full delay, as Postfix's do), up to the spool's high-water mark.
 *
 * <p>Pure: the clock is passed in. Thread-safe: listeners on several event loops and the submit verticle ask.
 */
public final class FlowControl {

  private static final long NEVER = Long.MIN_VALUE;

  private FlowConfig settings;
  private long aboveSince = NEVER; // when the backlog last rose above the low mark, NEVER while at or below

  public FlowControl(FlowConfig settings) {
    this.settings = settings;
  }

  /** A reloaded configuration: the next decision follows it (the burst allowance already running stays). */
  public synchronized void reconfigure(FlowConfig next) {
    settings = next;
  }

  /**
   * The delay of a transaction ending now.
   *
   * @param backlog   due messages waiting for the router ({@link Backlog#due()})
   * @param nowMillis a monotonic clock in milliseconds
   */
  public synchronized long delayMillis(long backlog, long nowMillis) {
    FlowConfig s = settings;
    if (!s.enabled() || backlog <= s.backlogLow()) {
      aboveSince = NEVER;
      return 0;
    }
    if (aboveSince == NEVER) {
      aboveSince = nowMillis;
    }
    if (nowMillis - aboveSince < s.burstSeconds() * 1000L) {
      return 0;
    }
    double share = Math.min(1.0, (double) (backlog - s.backlogLow()) / (s.backlogHigh() - s.backlogLow()));
    return (long) Math.ceil(share * s.maxDelayMillis());
  }

  /**
   * True when a bus submission should be refused (503, retry later) rather than delayed: the backlog is at twice
   * the high mark or more, so even the full delay has not held it (an application, unlike an SMTP client, may
   * submit without bound in parallel; its retry is the backpressure). Never with flow control off.
   */
  public synchronized boolean overloaded(long backlog) {
    FlowConfig s = settings;
    return s.enabled() && backlog - s.backlogHigh() >= s.backlogHigh();
  }
}
