package io.hermod.flow;

import io.hermod.config.FlowConfig;
import io.hermod.config.LiveConfig;
import io.hermod.metrics.HermodMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.function.LongSupplier;

/**
 * Flow control on the intake paths (the thin Vert.x part of {@link FlowControl}): a transaction whose message
 * is durably committed waits here, on a Vert.x timer and never on a blocked thread, before its success reply
 * (the SMTP 250 to the end of data, the hermod.submit reply). Meanwhile the SMTP session's socket is not
 * read, so the client is slowed by TCP as well. One per Hermod, shared by every listener instance and the
 * submit verticle; it follows configuration reloads ({@code flow.*}).
 */
public final class FlowGate {

  /** Which intake path waited (the tag of hermod_flow_delayed_total). */
  public enum Intake { SMTP, SUBMIT }

  private final Vertx vertx;
  private final Backlog backlog;
  private final FlowControl control;
  private final LongSupplier clockMillis;
  private final HermodMetrics metrics;

  /**
   * @param clockMillis a monotonic clock in milliseconds
   */
  public FlowGate(Vertx vertx, Backlog backlog, FlowConfig settings, LongSupplier clockMillis,
                  HermodMetrics metrics) {
    this.vertx = vertx;
    this.backlog = backlog;
    this.control = new FlowControl(settings);
    this.clockMillis = clockMillis;
    this.metrics = metrics;
    metrics.flowState(backlog::due, this::delayNow);
  }

  /** A gate on Hermod's live configuration and the system's monotonic clock. */
  public static FlowGate live(Vertx vertx, Backlog backlog, LiveConfig live, HermodMetrics metrics) {
    FlowGate gate = new FlowGate(vertx, backlog, live.current().flow(), () -> System.nanoTime() / 1_000_000,
        metrics);
    live.onChange(c -> gate.control.reconfigure(c.flow()));
    return gate;
  }

  /** Never waits (tests and tools that build intake paths by hand). */
  public static FlowGate open(Vertx vertx) {
    return new FlowGate(vertx, Backlog.NONE, FlowConfig.OFF, () -> 0, HermodMetrics.noop());
  }

  /** The delay a transaction ending now gets, in milliseconds (hermod_flow_delay_seconds). */
  public long delayNow() {
    return control.delayMillis(backlog.due(), clockMillis.getAsLong());
  }

  /**
   * Completes when a transaction ending now may have its reply: at once, or after the flow delay on a timer
   * of the caller's context (counted in hermod_flow_delayed_total).
   */
  public Future<Void> pace(Intake intake) {
    long delay = delayNow();
    if (delay <= 0) {
      return Future.succeededFuture();
    }
    metrics.flowDelayed(intake.name().toLowerCase(java.util.Locale.ROOT));
    return vertx.timer(delay).mapEmpty();
  }

  /** True when a bus submission is to be refused with 503 rather than delayed ({@link FlowControl#overloaded}). */
  public boolean overloaded() {
    return control.overloaded(backlog.due());
  }
}
