package io.hermod.shaping;

/**
 * Whether a (source, site) queue can be reached, and how many connections it may have (Postfix's
 * SCHEDULER_README: concurrency feedback and dead destinations; KumoMTA's connection-failure delay):
 *
 * <ul>
 *   <li><b>Window:</b> a queue starts at {@code initialConnections} connections; each job that reached the site
 *       opens the window by one (up to the configured cap), a connection-level failure closes it to 1, so a
 *       site that stops answering is not hit by a whole cap of new connections at once.</li>
 *   <li><b>Dead:</b> connection-level failures (refused, timeout, TLS failure, a 4xx/5xx greeting, a drop
 *       before the greeting: every host of the job failed) in a row, as many as {@code failedCohortLimit}
 *       cohorts, make the queue dead. A cohort is as many jobs as the window allowed when the failures began
 *       (Postfix's default_destination_concurrency_failed_cohort_limit = 1).</li>
 *   <li><b>Probe:</b> a dead queue gets no connection; once {@code probeMillis} passed, exactly one job goes as
 *       the probe. Its success revives the queue (window back to {@code initialConnections}); its failure waits
 *       another interval, doubled each time up to {@code maxProbeMillis}.</li>
 * </ul>
 * Not thread-safe: the router's context only.
 */
public final class SiteHealth {

  /** Settings; {@code initialConnections} 0 switches the window and the dead state off (local delivery). */
  public record Settings(int initialConnections, int failedCohortLimit, long probeMillis, long maxProbeMillis) {

    public static final Settings OFF = new Settings(0, 1, 0, 0);

    boolean off() {
      return initialConnections == 0;
    }
  }

  /** What a report changed. */
  public enum Change { NONE, DIED, REVIVED }

  private final Settings settings;
  private int window;
  private int failures;
  private int cohort;
  private boolean dead;
  private boolean probeOut;
  private long probeAt;
  private long probeInterval;
  private String lastError = "";

  public SiteHealth(Settings settings) {
    this.settings = settings;
    this.window = settings.initialConnections();
  }

  /** Connections the queue may have now, given its configured {@code cap}; a dead queue: 1 for a due probe, else 0. */
  public int allowed(int cap, long now) {
    if (settings.off()) {
      return cap;
    }
    if (dead) {
      return !probeOut && now >= probeAt ? 1 : 0;
    }
    return Math.min(cap, window);
  }

  public boolean dead() {
    return dead;
  }

  /** When a dead queue may send its probe. */
  public long probeAt() {
    return probeAt;
  }

  /** The last connection-level failure, for "delivery temporarily suspended: ...". */
  public String lastError() {
    return lastError;
  }

  /** A job was started while the queue is dead: it is the probe. */
  public void started() {
    if (dead) {
      probeOut = true;
    }
  }

  /** A job of this queue reached the site (any transaction reply, 2xx to 5xx). */
  public Change reached(int cap) {
    if (settings.off()) {
      return Change.NONE;
    }
    failures = 0;
    cohort = 0;
    if (dead) {
      dead = false;
      probeOut = false;
      window = Math.min(cap, settings.initialConnections());
      return Change.REVIVED;
    }
    window = Math.min(cap, window + 1);
    return Change.NONE;
  }

  /** A job of this queue failed at the connection level with {@code error} ("451 4.4.1 ... refused"). */
  public Change unreachable(String error, int cap, long now) {
    if (settings.off()) {
      return Change.NONE;
    }
    lastError = error;
    if (dead) {
      probeOut = false;
      probeInterval = Math.min(settings.maxProbeMillis(), probeInterval * 2);
      probeAt = now + probeInterval;
      return Change.NONE;
    }
    if (failures == 0) {
      cohort = Math.max(1, Math.min(cap, window));
    }
    failures++;
    window = 1;
    if (failures >= (long) cohort * settings.failedCohortLimit()) {
      dead = true;
      probeOut = false;
      probeInterval = settings.probeMillis();
      probeAt = now + probeInterval;
      return Change.DIED;
    }
    return Change.NONE;
  }

  /** The queue is suspended by a shaping rule: when the suspension ends, one connection goes first. */
  public void throttled() {
    if (!settings.off() && !dead) {
      window = 1;
    }
  }

  /** A job of this queue was not attempted (busy, no answer): the probe, if it was one, may go again. */
  public void notAttempted() {
    probeOut = false;
  }

  /** True when nothing is remembered that a fresh queue would not have (the queue may be forgotten). */
  public boolean pristine() {
    return !dead && failures == 0 && window >= settings.initialConnections();
  }
}
