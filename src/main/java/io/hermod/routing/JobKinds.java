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
        DeliveryReport.Outcome outcome = code >= 500 ? DeliveryReport.Outcome.FAILED : DeliveryReport.Outcome.DEFERRED;
        List<DeliveryReport.Result> results = job.recipients().stream()
            .map(r -> new DeliveryReport.Result(r.address(), outcome, code, status, text, false)).toList();
        results.forEach(r -> log.attempt(job, null, started, r));
        return new DeliveryReport(null, null, results);
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
        return new DeliveryReport(null, null, job.recipients().stream()
            .map(r -> new DeliveryReport.Result(r, DeliveryReport.Outcome.DEFERRED, code, status, text, false))
            .toList());
      }
    };
  }
}
