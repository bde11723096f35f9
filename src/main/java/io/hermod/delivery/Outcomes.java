package io.hermod.delivery;

import io.hermod.smtp.ServerReply;

import java.util.List;

/** The one place where SMTP replies become {@link DeliveryReport.Result}s. */
final class Outcomes {

  private Outcomes() {
  }

  /** RFC 5321 §4.2.1: 2xx delivered, 5xx permanent, anything else (4xx) try again later. */
  static DeliveryReport.Outcome of(int code) {
    switch (code / 100) {
      case 2:
        return DeliveryReport.Outcome.DELIVERED;
      case 5:
        return DeliveryReport.Outcome.FAILED;
      default:
        return DeliveryReport.Outcome.DEFERRED;
    }
  }

  /** The reply's enhanced status, else its RFC 3463 class with ".0.0" (2.0.0, 4.0.0, 5.0.0). */
  static String status(ServerReply reply) {
    return reply.enhancedStatus() != null ? reply.enhancedStatus() : (reply.code() / 100) + ".0.0";
  }

  static DeliveryReport.Result result(String address, ServerReply reply, boolean remote) {
    return new DeliveryReport.Result(address, of(reply.code()), reply.code(), status(reply), reply.text(), remote);
  }

  /** The same outcome for every recipient: a session failure or no host reached. */
  static List<DeliveryReport.Result> all(DeliveryJob job, ServerReply reply, boolean remote) {
    return job.recipients().stream().map(r -> result(r.address(), reply, remote)).toList();
  }

  /**
   * Every recipient deferred: a session-level failure after the transaction started (drop or timeout in
   * DATA, ...). Never DELIVERED, whatever the recipients' earlier replies were: without the end-of-data
   * reply nobody took responsibility for the message.
   */
  static List<DeliveryReport.Result> deferredAll(DeliveryJob job, SmtpClientException e, String relay) {
    ServerReply r = e.asReply();
    ServerReply deferred = r.isTransient() ? r : ServerReply.local(451, transientStatus(r), r.text());
    String text = relay + ": " + deferred.text();
    return all(job, ServerReply.local(deferred.code(), status(deferred), text), false);
  }

  /** A status turned into its transient form: "5.7.1" → "4.7.1"; none → "4.0.0". */
  static String transientStatus(ServerReply reply) {
    String s = reply.enhancedStatus();
    return s == null ? "4.0.0" : "4" + s.substring(1);
  }
}
