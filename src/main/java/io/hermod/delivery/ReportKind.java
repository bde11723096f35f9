package io.hermod.delivery;

import java.util.List;

/** What a DSN is about as a whole, which sets its Subject and opening text. */
enum ReportKind {
  FAILURE("Undelivered Mail Returned to Sender"),
  DELAY("Delayed Mail (still being retried)"),
  SUCCESS("Successful Mail Delivery Report");

  private final String subject;

  ReportKind(String subject) {
    this.subject = subject;
  }

  String subject() {
    return subject;
  }

  /** A failure anywhere makes it a failure report; otherwise a delay anywhere makes it a delay report. */
  static ReportKind of(List<RecipientReport> reports) {
    if (reports.stream().anyMatch(r -> r.action() == DsnAction.FAILED)) {
      return FAILURE;
    }
    if (reports.stream().anyMatch(r -> r.action() == DsnAction.DELAYED)) {
      return DELAY;
    }
    return SUCCESS;
  }
}
