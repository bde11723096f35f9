package io.hermod.routing;

import io.hermod.delivery.DeliveryJob;
import io.hermod.delivery.DeliveryLog;
import io.hermod.local.LocalJob;
import io.hermod.shaping.BounceClassifier;

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
    return new Dispatcher.Jobs<>(DeliveryJob::queueKey, DeliveryJob::queueId,
        job -> job.recipients().stream().map(DeliveryJob.Rcpt::address).toList(),
        (job, report) -> report.results().forEach(r -> log.attempt(job, null, System.nanoTime(), r)));
  }

  /** Local jobs: one queue per local domain, never refused (shaping is off for them). */
  static Dispatcher.Jobs<LocalJob> local() {
    return new Dispatcher.Jobs<>(LocalJob::destination, LocalJob::queueId, LocalJob::recipients, (job, report) -> { });
  }
}
