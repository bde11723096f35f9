package io.hermod.routing;

import io.hermod.api.Addresses;
import io.hermod.delivery.DeliveryBatch;
import io.hermod.delivery.DeliveryJob;
import io.hermod.delivery.DeliveryReport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * The dispatcher's batch sender (docs/routing.md "Batches"): a {@link DeliveryBatch} as one request on
 * {@link Addresses#DELIVERY_BATCH}, with the job timeout once per job; each report the delivery verticle passes
 * on as its job ends is brought to this context before the dispatcher hears of it. When nothing consumes that
 * address (an application's own delivery consumer on {@link Addresses#DELIVERY_JOB} only, or a test's), the
 * jobs go one after another as single requests instead, with the same rules ({@link DeliveryBatch#inTurn});
 * the batch address is tried again a minute later.
 */
final class BatchRequests {

  private static final Logger LOG = Logger.getLogger(BatchRequests.class.getName());
  static final long LOOK_AGAIN_MILLIS = 60_000;

  private final EventBus bus;
  private final Context context;
  private final Clock clock;
  private final LongSupplier timeoutMillisPerJob;
  private final Function<DeliveryJob, Future<DeliveryReport>> single;
  private long singlyUntil;

  /**
   * @param context             where the dispatcher runs (the router's)
   * @param timeoutMillisPerJob delivery.jobTimeoutSeconds in milliseconds, read at each batch (it reloads)
   * @param single              sends one job on {@link Addresses#DELIVERY_JOB}
   */
  BatchRequests(EventBus bus, Context context, Clock clock, LongSupplier timeoutMillisPerJob,
                Function<DeliveryJob, Future<DeliveryReport>> single) {
    this.bus = bus;
    this.context = context;
    this.clock = clock;
    this.timeoutMillisPerJob = timeoutMillisPerJob;
    this.single = single;
  }

  /**
   * The reports of the first jobs, in order (DeliveryBatch.Reports); fails when none was attempted.
   * {@code progress} hears of each report as it comes, on this context.
   */
  Future<List<DeliveryReport>> send(List<DeliveryJob> jobs, DeliveryBatch.Progress progress) {
    if (clock.millis() < singlyUntil) {
      return DeliveryBatch.inTurn(jobs, single, progress);
    }
    long timeout = timeoutMillisPerJob.getAsLong() * jobs.size();
    DeliveryBatch.Progress here = (index, report) -> context.runOnContext(v -> progress.reported(index, report));
    return bus.request(Addresses.DELIVERY_BATCH, new DeliveryBatch(jobs, here),
            Addresses.nodeLocal().setSendTimeout(timeout))
        .map(reply -> ((DeliveryBatch.Reports) reply.body()).reports())
        .recover(e -> {
          if (e instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS) {
            if (singlyUntil == 0) {
              LOG.info("no consumer on " + Addresses.DELIVERY_BATCH + ": delivery jobs go one by one to "
                  + Addresses.DELIVERY_JOB);
            }
            singlyUntil = clock.millis() + LOOK_AGAIN_MILLIS;
            return DeliveryBatch.inTurn(jobs, single, progress);
          }
          return Future.failedFuture(e);
        });
  }
}
