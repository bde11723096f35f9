package io.hermod.delivery;

import io.hermod.shaping.BounceClassifier;
import java.time.Duration;
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
    return appendRelay(new StringBuilder(), host).toString();
  }

  /** "mx.example[192.0.2.1]:25", or "none" when no host was used. */
  private static StringBuilder appendRelay(StringBuilder line, DeliveryJob.Host host) {
    return host == null ? line.append("none")
        : line.append(host.name()).append('[').append(host.address()).append("]:").append(host.port());
  }

  public void attempt(DeliveryJob job, DeliveryJob.Host relay, long startedNanos, DeliveryReport.Result r) {
    attempt(job, relay, null, startedNanos, r);
  }

  public void attempt(DeliveryJob job, DeliveryJob.Host relay, DeliveryTls tls, long startedNanos,
                      DeliveryReport.Result r) {
    long elapsedNanos = System.nanoTime() - startedNanos;
    StringBuilder line = new StringBuilder(160).append(job.queueId()).append(": to=<").append(r.address())
        .append(">, relay=");
    appendRelay(line, relay);
    if (job.source() != null) {
      line.append(", source=").append(job.source()); // the egress source (docs/delivery.md "Sources and pools")
    }
    line.append(", delay=");
    appendSeconds(line, (Math.max(0, elapsedNanos) + 5_000_000) / 10_000_000);
    if (tls != null) {
      line.append(", ").append(tls.logText());
    }
    line.append(", dsn=").append(r.status());
    if (r.outcome() != DeliveryReport.Outcome.DELIVERED) {
      line.append(", class=").append(bounces.classify(r.code(), r.status(), r.text()).label());
    }
    line.append(", status=").append(word(r.outcome())).append(" (").append(r.summary()).append(')');
    logger.info(line.toString());
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
    StringBuilder line = new StringBuilder(160).append(queueId).append(": to=<").append(address)
        .append(">, relay=none, delay=");
    appendSeconds(line, (Math.max(0, queued.toMillis()) + 5) / 10);
    line.append(", dsn=").append(dsn);
    if (outcome != DeliveryReport.Outcome.DELIVERED) {
      line.append(", class=").append(classOf(dsn, reply));
    }
    logger.info(line.append(", status=").append(word(outcome)).append(" (").append(reply).append(')').toString());
  }

  /**
   * "0.42" for 42 hundredths: what {@code String.format("%.2f")} printed here before (it rounds half up, as the
   * callers' {@code + 5} does), without a Formatter per line: one line per recipient is on the delivery hot path.
   */
  static void appendSeconds(StringBuilder line, long hundredths) {
    long rest = hundredths % 100;
    line.append(hundredths / 100).append('.').append(rest < 10 ? "0" : "").append(rest);
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
