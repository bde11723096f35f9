package io.hermod.routing;

import io.hermod.smtp.ServerReply;
import io.hermod.delivery.DeliveryReport;
import io.hermod.delivery.DsnAction;
import io.hermod.delivery.DsnBuilder;
import io.hermod.delivery.RecipientReport;
import io.hermod.delivery.RetrySchedule;
import io.hermod.spool.Envelope;
import io.hermod.spool.Recipient;
import io.hermod.spool.RecipientState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies one round of results (a delivery report, or DNS outcomes) to an envelope. Pure: it computes the
 * new envelope, the per-recipient outcomes to publish, and the DSN reports owed; the router persists and
 * sends them. A deferral past the message's lifetime becomes a failure with status 4.4.7 (RFC 3463
 * "Delivery time expired").
 */
public final class OutcomeRecorder {


  private final RetrySchedule schedule;
  private final DnsRetry dnsRetry;

  /** Every deferral follows the schedule's backoff. */
  public OutcomeRecorder(RetrySchedule schedule) {
    this(schedule, DnsRetry.NEVER);
  }

  /** A deferral by a DNS failure on one of the first attempts is retried after {@code dnsRetry}'s short delay. */
  public OutcomeRecorder(RetrySchedule schedule, DnsRetry dnsRetry) {
    this.schedule = schedule;
    this.dnsRetry = dnsRetry;
  }

  /**
   * @param failures  DSN reports for recipients that failed in this round and asked for failure DSNs
   * @param delays    DSN reports for a delay warning that is due now (then the envelope is marked delayWarned)
   * @param successes DSN reports ("relayed", "delivered") for recipients delivered in this round that asked for
   *                  NOTIFY=SUCCESS, when the success notice is ours to send ({@link DeliveryReport#success()})
   */
  public record Recorded(Envelope envelope, List<RecipientOutcome> outcomes, List<RecipientReport> failures,
                         List<RecipientReport> delays, List<RecipientReport> successes) {
  }

  public Recorded record(Envelope env, DeliveryReport report, Instant now) {
    Map<String, DeliveryReport.Result> byAddress = new HashMap<>();
    report.results().forEach(r -> byAddress.putIfAbsent(r.address(), r));
    boolean expired = schedule.expired(env.arrival(), now);
    List<RecipientOutcome> outcomes = new ArrayList<>();
    List<RecipientReport> failures = new ArrayList<>();
    List<RecipientReport> successes = new ArrayList<>();
    Envelope next = env.mapRecipients(rcpt -> {
      DeliveryReport.Result result = rcpt.state().isFinal() ? null : byAddress.remove(rcpt.address());
      if (result == null) {
        return rcpt;
      }
      RecipientOutcome outcome = outcome(rcpt, result, report.remoteHost(), expired);
      outcomes.add(outcome);
      if (outcome.recipient().state() == RecipientState.FAILED
          && DsnBuilder.shouldReport(env, rcpt, DsnAction.FAILED)) {
        failures.add(new RecipientReport(outcome.recipient(), DsnAction.FAILED, outcome.status(),
            report.remoteHost(), diagnostic(result), now));
      }
      if (outcome.recipient().state() == RecipientState.DELIVERED && report.success() != null
          && DsnBuilder.shouldReport(env, rcpt, report.success())) {
        successes.add(new RecipientReport(outcome.recipient(), report.success(), outcome.status(),
            report.remoteHost(), diagnostic(result), now));
      }
      return outcome.recipient();
    });
    next = scheduleRetry(next, now);
    List<RecipientReport> delays = delayWarning(next, outcomes, report.remoteHost(), now);
    if (!delays.isEmpty()) {
      next = next.withDelayWarned(true);
    }
    return new Recorded(next, outcomes, failures, delays, successes);
  }

  private RecipientOutcome outcome(Recipient rcpt, DeliveryReport.Result result, String remoteHost, boolean expired) {
    String status = validStatus(result);
    return switch (result.outcome()) {
      case DELIVERED -> new RecipientOutcome(rcpt.withOutcome(RecipientState.DELIVERED, result.summary()),
          RecipientOutcome.Kind.DELIVERED, remoteHost, result.code(), status, result.text());
      case FAILED -> new RecipientOutcome(rcpt.withOutcome(RecipientState.FAILED, result.summary()),
          RecipientOutcome.Kind.BOUNCED, remoteHost, result.code(), status, result.text());
      case DEFERRED -> expired
          ? new RecipientOutcome(rcpt.withOutcome(RecipientState.FAILED, result.code() + " 4.4.7 "
              + "delivery time expired, last reply: " + result.summary()),
              RecipientOutcome.Kind.EXPIRED, remoteHost, result.code(), "4.4.7",
              "delivery time expired, last reply: " + result.summary())
          : new RecipientOutcome(rcpt.withOutcome(RecipientState.DEFERRED, result.summary()),
              RecipientOutcome.Kind.DEFERRED, remoteHost, result.code(), status, result.text());
    };
  }

  /**
   * Next attempt from the most-tried deferred recipient (RetrySchedule's doubling), or soon when every deferred
   * recipient waits on a DNS failure that {@link DnsRetry} retries early.
   */
  private Envelope scheduleRetry(Envelope env, Instant now) {
    List<Recipient> deferred = env.recipients().stream().filter(r -> r.state() == RecipientState.DEFERRED).toList();
    int attempts = deferred.stream().mapToInt(Recipient::attempts).max().orElse(0);
    if (attempts == 0) {
      return env;
    }
    return env.withNextAttempt(deferred.stream().allMatch(dnsRetry::applies)
        ? schedule.nextAttemptAfter(env.arrival(), dnsRetry.delay(), now)
        : schedule.nextAttempt(env.arrival(), attempts, now));
  }

  /** RFC 3464 "delayed": once per message, for the recipients still deferred that asked for it. */
  private List<RecipientReport> delayWarning(Envelope env, List<RecipientOutcome> outcomes, String remoteHost,
                                             Instant now) {
    boolean deferredNow = outcomes.stream().anyMatch(o -> o.kind() == RecipientOutcome.Kind.DEFERRED);
    if (!deferredNow || !schedule.delayWarningDue(env.arrival(), now, env.delayWarned())) {
      return List.of();
    }
    List<RecipientReport> reports = new ArrayList<>();
    for (Recipient r : env.recipients()) {
      if (r.state() == RecipientState.DEFERRED && DsnBuilder.shouldReport(env, r, DsnAction.DELAYED)) {
        String status = r.lastReply() != null && r.lastReply().length() > 4
            && ServerReply.isEnhancedStatus(firstWord(r.lastReply().substring(4)))
            ? firstWord(r.lastReply().substring(4)) : "4.0.0";
        reports.add(new RecipientReport(r, DsnAction.DELAYED, status, remoteHost,
            r.lastReply() == null ? null : "smtp; " + r.lastReply(), now));
      }
    }
    return reports;
  }

  private static String diagnostic(DeliveryReport.Result result) {
    // RFC 3464 §2.3.6: "smtp" for a remote server's reply; an X- type for what we decided ourselves.
    return (result.remote() ? "smtp; " : "X-Hermod; ") + result.summary();
  }

  /** The result's status if it is RFC 3463 shaped, otherwise the generic one of its reply class. */
  private static String validStatus(DeliveryReport.Result result) {
    if (ServerReply.isEnhancedStatus(result.status())) {
      return result.status();
    }
    return switch (result.outcome()) {
      case DELIVERED -> "2.0.0";
      case DEFERRED -> "4.0.0";
      case FAILED -> "5.0.0";
    };
  }

  private static String firstWord(String s) {
    int space = s.indexOf(' ');
    return space < 0 ? s : s.substring(0, space);
  }
}
