package io.hermod.delivery;

/** Part 1 of a DSN: the explanation for a person (RFC 3462 §2), wrapped at 78 columns. */
final class HumanReadableReport {

  private HumanReadableReport() {
  }

  static void write(CrlfWriter w, DsnRequest req, ReportKind kind, IncludeOriginal include, boolean utf8) {
    w.text("", "This is the mail system at host " + SafeText.token(req.reportingMta(), false) + ".");
    w.blank();
    w.text("", opening(req, kind));
    String attached = switch (include) {
      case FULL -> "Your message is attached below.";
      case HEADERS -> "The headers of your message are attached below.";
      case NONE -> "";
    };
    if (!attached.isEmpty()) {
      w.blank();
      w.text("", attached);
    }
    w.blank();
    for (RecipientReport report : req.reports()) {
      w.hanging(recipientLine(report, utf8), "    ");
    }
  }

  private static String opening(DsnRequest req, ReportKind kind) {
    return switch (kind) {
      case FAILURE -> "I'm sorry to have to inform you that your message could not be delivered to one or "
          + "more recipients. The mail system has given up on the addresses listed below.";
      case DELAY -> "Your message has not been delivered yet to the recipients listed below. The mail system "
          + "will keep trying until " + MailDate.format(req.willRetryUntil()) + ". You do not need to "
          + "send it again.";
      case SUCCESS -> "Your message was successfully delivered to the recipients listed below, as you "
          + "asked. \"Relayed\" means it was passed to a system that sends no further delivery reports.";
    };
  }

  private static String recipientLine(RecipientReport report, boolean utf8) {
    String who = "<" + SafeText.token(report.recipient().address(), utf8) + ">: ";
    String text = DeliveryStatusFields.diagnosticText(report.diagnosticCode(), utf8);
    String outcome = report.action().keyword() + " (status " + report.status() + ")";
    if (text == null) {
      return who + outcome;
    }
    if (report.remoteMta() != null) {
      return who + "host " + SafeText.token(report.remoteMta(), utf8) + " said: " + text;
    }
    return who + outcome + ": " + text;
  }
}
