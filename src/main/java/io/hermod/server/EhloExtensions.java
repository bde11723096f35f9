package io.hermod.server;

import io.hermod.config.Limits;
import io.hermod.smtp.BodyType;
import io.hermod.smtp.Command;
import io.hermod.smtp.Replies;
import io.hermod.smtp.Reply;

import java.util.ArrayList;
import java.util.List;

/** The ESMTP extensions we offer in the EHLO reply, and the MAIL parameter rules that follow from them. */
final class EhloExtensions {

  private final Limits limits;
  private final List<String> keywords;

  EhloExtensions(Limits limits) {
    this.limits = limits;
    this.keywords = List.of(
        "PIPELINING",              // RFC 2920
        "SIZE " + limits.maxMessageSize(), // RFC 1870
        "8BITMIME",                // RFC 6152
        "SMTPUTF8",                // RFC 6531
        "ENHANCEDSTATUSCODES",     // RFC 2034
        "CHUNKING",                // RFC 3030
        "DSN");                    // RFC 3461
  }

  /**
   * @param startTls offer STARTTLS (RFC 3207): before TLS, on a listener that allows it
   * @param auth     offer AUTH (RFC 4954): only under TLS, and not once authenticated
   * @param tls      the session runs TLS: REQUIRETLS is offered (RFC 8689 §2: only over TLS)
   */
  List<String> keywords(boolean startTls, boolean auth, boolean tls) {
    if (!startTls && !auth && !tls) {
      return keywords;
    }
    List<String> all = new ArrayList<>(keywords);
    if (startTls) {
      all.add("STARTTLS");
    }
    if (tls) {
      all.add("REQUIRETLS");
    }
    if (auth) {
      all.add("AUTH " + String.join(" ", SaslExchange.MECHANISMS));
    }
    return all;
  }

  /**
   * @param tls the session runs TLS: the AUTH (RFC 4954 §5) and REQUIRETLS (RFC 8689 §2) extensions are in
   *            effect, and with them their MAIL parameters
   * @return null when acceptable, else the refusal
   */
  Reply checkMailParameters(Command.MailParameters p, boolean extended, boolean tls) {
    boolean anyGiven = p.size() >= 0 || p.body() != BodyType.SEVEN_BIT || p.smtpUtf8() || p.ret() != null
        || p.envid() != null || p.auth() != null || p.requireTls();
    if (!extended && anyGiven) {
      return Replies.unknownParameter("after HELO"); // RFC 5321 §2.2.1: extensions need EHLO
    }
    if (p.auth() != null && !tls) {
      return Replies.unknownParameter("AUTH"); // RFC 4954 §5: only with the AUTH extension
    }
    if (p.requireTls() && !tls) {
      return Replies.unknownParameter("REQUIRETLS"); // RFC 8689 §2: not offered without TLS
    }
    if (p.size() > limits.maxMessageSize()) {
      return Replies.messageTooBig(limits.maxMessageSize()); // RFC 1870 §6.1
    }
    if (p.body() == BodyType.BINARY_MIME) {
      return Replies.unknownParameter("BODY=BINARYMIME"); // not offered: we do not advertise BINARYMIME
    }
    return null;
  }
}
