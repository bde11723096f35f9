package io.hermod.delivery;

import io.hermod.spool.Envelope;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything a DSN is built from. The arrival date, ENVID, RET, sender and SMTPUTF8 come from the envelope.
 *
 * @param reportingMta    this MTA's host name (Reporting-MTA, From: MAILER-DAEMON@...)
 * @param original        the envelope of the message reported on
 * @param reports         one per recipient reported on, at least one
 * @param originalHeaders the original header section as spooled (CRLF lines), or null if unavailable
 * @param willRetryUntil  when retries stop (arrival + lifetime); required when a report is DELAYED
 * @param now             the current time (Date: header)
 */
public record DsnRequest(String reportingMta, Envelope original, List<RecipientReport> reports,
                         byte[] originalHeaders, Instant willRetryUntil, Instant now) {

  public DsnRequest {
    Objects.requireNonNull(reportingMta, "reportingMta");
    Objects.requireNonNull(original, "original");
    Objects.requireNonNull(now, "now");
    reports = List.copyOf(reports);
    if (reports.isEmpty()) {
      throw new IllegalArgumentException("a DSN reports on at least one recipient");
    }
    if (willRetryUntil == null && reports.stream().anyMatch(r -> r.action() == DsnAction.DELAYED)) {
      throw new IllegalArgumentException("a delayed report needs willRetryUntil");
    }
  }
}
