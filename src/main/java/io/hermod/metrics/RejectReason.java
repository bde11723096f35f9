package io.hermod.metrics;

import io.hermod.smtp.Reply;

import java.util.Locale;

/** Why a message was refused: the fixed tag set of hermod_messages_rejected_total (never addresses). */
public enum RejectReason {
  SIZE, RELAY, LOOP, BARE_NEWLINE, SPOOL, SYNTAX, OTHER;

  /** The tag value: "bare_newline". */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Classifies a refusal by its RFC 3463 enhanced status code (and 521 for bare line endings). */
  public static RejectReason of(Reply reply) {
    String status = reply.status() == null ? "" : reply.status();
    if (reply.code() == 521) {
      return BARE_NEWLINE;
    }
    if (status.equals("5.3.4") || status.equals("5.2.3") || status.equals("4.3.4")) {
      return SIZE;
    }
    if (status.equals("5.7.1")) {
      return RELAY;
    }
    if (status.equals("5.4.6")) {
      return LOOP;
    }
    if (status.startsWith("4.3.")) {
      return SPOOL; // spool full, local I/O error
    }
    if (status.startsWith("5.5.") || status.startsWith("5.1.") || status.startsWith("5.6.")) {
      return SYNTAX;
    }
    return OTHER;
  }
}
