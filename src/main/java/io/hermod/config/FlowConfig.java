package io.hermod.config;

/**
 * Flow control from delivery back to intake ("flow", README "Flow control", io.hermod.flow): when more mail is
 * due and waiting for the router than it can take, new transactions are slowed down.
 *
 * @param enabled        false: intake never waits for delivery (pure store-and-forward) ("flow.enabled")
 * @param backlogLow     due messages waiting for the router's active window below which nothing is delayed
 *                       ("flow.backlogLow")
 * @param backlogHigh    the backlog at which the delay reaches {@code maxDelayMillis} ("flow.backlogHigh"),
 *                       greater than {@code backlogLow}; a bus submission is refused (503) at twice this
 * @param maxDelayMillis the longest delay of one transaction (Postfix's in_flow_delay, 1 s) ("flow.maxDelayMillis")
 * @param burstSeconds   how long the backlog must stay above {@code backlogLow} before anything is delayed: a
 *                       burst shorter than this is absorbed in full ("flow.burstSeconds")
 */
public record FlowConfig(boolean enabled, long backlogLow, long backlogHigh, int maxDelayMillis, int burstSeconds) {

  /** The shipped defaults (defaults.json), for tests and tools that build components by hand. */
  public static final FlowConfig DEFAULTS = new FlowConfig(true, 10_000, 50_000, 1000, 10);

  /** No flow control at all. */
  public static final FlowConfig OFF = new FlowConfig(false, 10_000, 50_000, 1000, 10);
}
