package io.hermod.delivery;

import java.util.Locale;
import java.util.logging.Logger;

/**
 * One line per recipient and attempt, shaped like Postfix's smtp(8) log:
 * {@code QUEUEID: to=<rcpt>, relay=mx.example[192.0.2.1]:25, delay=0.42, dsn=2.0.0, status=sent (250 2.0.0 ok)}.
 */
final class DeliveryLog {

  private final Logger logger;

  DeliveryLog(Logger logger) {
    this.logger = logger;
  }

  static String relay(DeliveryJob.Host host) {
    return host == null ? "none" : host.name() + "[" + host.address() + "]:" + host.port();
  }

  void attempt(DeliveryJob job, DeliveryJob.Host relay, long startedNanos, DeliveryReport.Result r) {
    double delay = (System.nanoTime() - startedNanos) / 1e9;
    // The egress source, when the job names one (docs/delivery.md "Sources and pools").
    String source = job.source() == null ? "" : ", source=" + job.source();
    logger.info(String.format(Locale.ROOT, "%s: to=<%s>, relay=%s%s, delay=%.2f, dsn=%s, status=%s (%s)",
        job.queueId(), r.address(), relay(relay), source, delay, r.status(), word(r.outcome()), r.summary()));
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
