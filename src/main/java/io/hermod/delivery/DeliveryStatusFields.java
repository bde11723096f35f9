package io.hermod.delivery;

import io.hermod.spool.Envelope;

/**
 * Part 2 of a DSN, the machine-readable report (RFC 3464 §2): per-message fields, then one block per
 * recipient. Every value that came from outside (replies, host names) goes through {@link SafeText}.
 */
final class DeliveryStatusFields {

  private DeliveryStatusFields() {
  }

  static void write(CrlfWriter w, DsnRequest req, boolean utf8) {
    Envelope env = req.original();
    // §2.2 per-message fields
    w.field("Reporting-MTA", "dns; " + SafeText.token(req.reportingMta(), false));
    if (env.envid() != null) {
      // §2.2.1 / RFC 3461 §4.4: the ENVID as it was given, i.e. xtext-encoded again.
      w.field("Original-Envelope-Id", io.hermod.smtp.Xtext.encode(env.envid()));
    }
    w.field("Arrival-Date", MailDate.format(env.arrival()));
    for (RecipientReport report : req.reports()) {
      w.blank();
      writeRecipient(w, req, report, utf8);
    }
  }

  /** §2.3 per-recipient fields. */
  private static void writeRecipient(CrlfWriter w, DsnRequest req, RecipientReport report, boolean utf8) {
    String orcpt = report.recipient().orcpt();
    if (orcpt != null) {
      String value = SafeText.token(orcpt, utf8);
      w.field("Original-Recipient", value.contains(";") ? value : "rfc822;" + value);
    }
    w.field("Final-Recipient", addressType(report.recipient().address()) + ";"
        + SafeText.token(report.recipient().address(), utf8));
    w.field("Action", report.action().keyword());
    w.field("Status", report.status());
    if (report.remoteMta() != null) {
      w.field("Remote-MTA", "dns; " + SafeText.token(report.remoteMta(), utf8));
    }
    String diagnostic = diagnosticCode(report.diagnosticCode(), utf8);
    if (diagnostic != null) {
      w.field("Diagnostic-Code", diagnostic);
    }
    if (report.lastAttempt() != null) {
      w.field("Last-Attempt-Date", MailDate.format(report.lastAttempt()));
    }
    if (report.action() == DsnAction.DELAYED) {
      w.field("Will-Retry-Until", MailDate.format(req.willRetryUntil()));
    }
  }

  /** RFC 6533 §3: a non-ASCII address has address type "utf-8" (only in a global report). */
  private static String addressType(String address) {
    return SafeText.isAscii(address) ? "rfc822" : "utf-8";
  }

  /** §2.3.6 "diagnostic-type; text": cleaned, with "smtp; " assumed when no type is given. */
  static String diagnosticCode(String raw, boolean utf8) {
    if (raw == null) {
      return null;
    }
    String clean = SafeText.clean(raw, utf8);
    if (clean.isEmpty()) {
      return null;
    }
    int semi = clean.indexOf(';');
    if (semi > 0 && clean.substring(0, semi).matches("[A-Za-z][A-Za-z0-9-]*")) {
      return clean.substring(0, semi) + "; " + clean.substring(semi + 1).strip();
    }
    return "smtp; " + clean;
  }

  /** The diagnostic text without its type, for the human-readable part. */
  static String diagnosticText(String raw, boolean utf8) {
    String code = diagnosticCode(raw, utf8);
    return code == null ? null : code.substring(code.indexOf(';') + 1).strip();
  }
}
