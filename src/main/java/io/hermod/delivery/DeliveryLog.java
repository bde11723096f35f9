package io.hermod.delivery;

import io.hermod.shaping.BounceClassifier;
import java.time.Duration;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * One line per recipient and attempt, shaped like Postfix's smtp(8) log:
 * {@code QUEUEID: to=<rcpt>, relay=mx.example[192.0.2.1]:25, delay=0.42, dsn=2.0.0, status=sent (250 2.0.0 ok)}.
 * A deferral or failure also names its bounce class before the status, so that the reply stays last:
 * {@code ..., dsn=4.2.2, class=QuotaIssues, status=deferred (452 4.2.2 mailbox full)}. An SMTP attempt names the
 * TLS policy that applied and what TLS it got (docs/security.md "Outbound TLS"), after the delay:
 * {@code ..., delay=0.42, tlsPolicy=verify/mta-sts, tls=TLSv1.3 TLS_AES_128_GCM_SHA256 verified, dsn=...}.
 */
public final class DeliveryLog {

  private final Logger logger;
  private final BounceClassifier bounces;

  public DeliveryLog(Logger logger, BounceClassifier bounces) {
    this.logger = logger;
    this.bounces = bounces;
  }

  static String relay(DeliveryJob.Host host) {
    return host == null ? "none" : host.name() + "[" + host.address() + "]:" + host.port();
  }

  public void attempt(DeliveryJob job, DeliveryJob.Host relay, long startedNanos, DeliveryReport.Result r) {
    attempt(job, relay, null, startedNanos, r);
  }

  public void attempt(DeliveryJob job, DeliveryJob.Host relay, DeliveryTls tls, long startedNanos,
                      DeliveryReport.Result r) {
    double delay = (System.nanoTime() - startedNanos) / 1e9;
    String bounceClass = r.outcome() == DeliveryReport.Outcome.DELIVERED ? ""
        : ", class=" + bounces.classify(r.code(), r.status(), r.text()).label();
    // The egress source, when the job names one (docs/delivery.md "Sources and pools").
    String source = job.source() == null ? "" : ", source=" + job.source();
    String tlsText = tls == null ? "" : ", " + tls.logText();
    logger.info(String.format(Locale.ROOT, "%s: to=<%s>, relay=%s%s, delay=%.2f%s, dsn=%s%s, status=%s (%s)",
        job.queueId(), r.address(), relay(relay), source, delay, tlsText, r.status(), bounceClass,
        word(r.outcome()), r.summary()));
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
    String bounceClass = outcome == DeliveryReport.Outcome.DELIVERED ? "" : ", class=" + classOf(dsn, reply);
    logger.info(String.format(Locale.ROOT, "%s: to=<%s>, relay=none, delay=%.2f, dsn=%s%s, status=%s (%s)",
        queueId, address, Math.max(0, queued.toMillis()) / 1000.0, dsn, bounceClass, word(outcome), reply));
  }

  /** The bounce class of a reply kept as "code status text". */
  private String classOf(String dsn, String reply) {
    int code;
    try {
      code = Integer.parseInt(reply.substring(0, 3));
    } catch (RuntimeException e) {
      code = dsn.startsWith("5") ? 550 : 451;
    }
    int text = reply.indexOf(' ', reply.indexOf(' ') + 1);
    return bounces.classify(code, dsn, text < 0 ? reply : reply.substring(text + 1)).label();
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
