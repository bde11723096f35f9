package io.hermod.delivery;

import java.time.Duration;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * One line per recipient and attempt, shaped like Postfix's smtp(8) log:
 * {@code QUEUEID: to=<rcpt>, relay=mx.example[192.0.2.1]:25, delay=0.42, dsn=2.0.0, status=sent (250 2.0.0 ok)}.
 */
public final class DeliveryLog {

  private final Logger logger;

  public DeliveryLog(Logger logger) {
    this.logger = logger;
  }

  static String relay(DeliveryJob.Host host) {
    return host == null ? "none" : host.name() + "[" + host.address() + "]:" + host.port();
  }

  public void attempt(DeliveryJob job, DeliveryJob.Host relay, long startedNanos, DeliveryReport.Result r) {
    double delay = (System.nanoTime() - startedNanos) / 1e9;
    logger.info(String.format(Locale.ROOT, "%s: to=<%s>, relay=%s, delay=%.2f, dsn=%s, status=%s (%s)",
        job.queueId(), r.address(), relay(relay), delay, r.status(), word(r.outcome()), r.summary()));
  }

  /**
   * An outcome the router decided without a delivery attempt (an unknown domain, a null MX, a DNS failure, the
   * message's lifetime over, an operator's bounce), in the same shape: {@code relay=none}, and {@code delay} the
   * message's time in the queue since it arrived.
   *
   * @param reply "code status text", as kept in the envelope
   */
  public void decided(String queueId, String address, Duration queued, String dsn, DeliveryReport.Outcome outcome,
                      String reply) {
    logger.info(String.format(Locale.ROOT, "%s: to=<%s>, relay=none, delay=%.2f, dsn=%s, status=%s (%s)",
        queueId, address, Math.max(0, queued.toMillis()) / 1000.0, dsn, word(outcome), reply));
  }

  /**
   * The DSN sent about a message, like Postfix's bounce(8): {@code QUEUEID: sender non-delivery notification:
   * DSNID} (some recipient failed) or {@code sender delay notification} (a delay warning only).
   */
  public void notification(String queueId, boolean failures, String dsnId) {
    logger.info(queueId + ": sender " + (failures ? "non-delivery" : "delay") + " notification: " + dsnId);
  }

  private static String word(DeliveryReport.Outcome outcome) {
    switch (outcome) {
      case DELIVERED:
        return "sent";
      case FAILED:
        return "bounced";
      default:
        return "deferred";
    }
  }
}
