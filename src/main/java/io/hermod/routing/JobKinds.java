package io.hermod.routing;

import io.hermod.delivery.DeliveryJob;
import io.hermod.delivery.DeliveryLog;
import io.hermod.delivery.DeliveryReport;
import io.hermod.local.LocalJob;
import io.hermod.shaping.BounceClassifier;

import java.util.List;
import java.util.logging.Logger;

/** What the {@link Dispatcher} needs of SMTP delivery jobs and of local jobs. */
final class JobKinds {

  private JobKinds() {
  }

  /**
   * SMTP jobs: scheduled per (source, site); a job answered without a connection is logged like an attempt
   * (Postfix: "status=deferred (delivery temporarily suspended: ...)", relay=none), once per recipient.
   */
  static Dispatcher.Jobs<DeliveryJob> delivery(BounceClassifier classifier) {
    DeliveryLog log = new DeliveryLog(Logger.getLogger("io.hermod.delivery"), classifier);
    return new Dispatcher.Jobs<>() {
      @Override
      public String queueKey(DeliveryJob job) {
        return job.queueKey();
      }

      @Override
      public String messageId(DeliveryJob job) {
        return job.queueId();
      }

      @Override
      public DeliveryReport refused(DeliveryJob job, int code, String status, String text) {
        long started = System.nanoTime();
        DeliveryReport report = notAttempted(job.recipients().stream().map(DeliveryJob.Rcpt::address).toList(),
            code, status, text);
        report.results().forEach(r -> log.attempt(job, null, started, r));
        return report;
      }
    };
  }

  /** Local jobs: one queue per local domain, never refused (shaping is off for them). */
  static Dispatcher.Jobs<LocalJob> local() {
    return new Dispatcher.Jobs<>() {
      @Override
      public String queueKey(LocalJob job) {
        return job.destination();
      }

      @Override
      public String messageId(LocalJob job) {
        return job.queueId();
      }

      @Override
      public DeliveryReport refused(LocalJob job, int code, String status, String text) {
        return notAttempted(job.recipients(), code, status, text);
      }
    };
  }

  /** Every recipient gets the same locally decided reply: a failure for 5xx, else a deferral. */
  private static DeliveryReport notAttempted(List<String> recipients, int code, String status, String text) {
    DeliveryReport.Outcome outcome = code >= 500 ? DeliveryReport.Outcome.FAILED : DeliveryReport.Outcome.DEFERRED;
    return new DeliveryReport(null, null, recipients.stream()
        .map(r -> new DeliveryReport.Result(r, outcome, code, status, text, false)).toList());
  }
}
