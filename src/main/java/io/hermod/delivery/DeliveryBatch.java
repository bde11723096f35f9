package io.hermod.delivery;

import io.hermod.async.AsyncLoop;
import io.hermod.async.Attempt;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Router → delivery: waiting messages of one (egress source, site) queue handed over at once, on
 * {@link io.hermod.api.Addresses#DELIVERY_BATCH} (docs/eventbus.md). They are delivered one after another as
 * if each were its own {@link DeliveryJob} (the pool hands each the connection the one before gave back); each
 * report goes to {@code progress} as soon as its job ends, so that the router records it at once (a crash loses
 * no more outcomes than with single jobs: only those of the jobs in flight), and one {@link Reports} answers
 * the request: under load a request and a reply per message were a tenth of the router's and the delivery
 * verticle's CPU per relayed message (issue #17). Node-local and handed over as an object
 * ({@link io.hermod.api.HandOverObject}); it has no JSON form.
 *
 * @param jobs     at least one, all with the same {@link DeliveryJob#queueKey()}
 * @param progress told of each report as its job ends, in order, on the delivery verticle's thread (the
 *                 sender's implementation moves to its own context)
 */
public record DeliveryBatch(List<DeliveryJob> jobs, Progress progress) {

  public DeliveryBatch {
    jobs = List.copyOf(jobs);
    if (jobs.isEmpty()) {
      throw new IllegalArgumentException("a delivery batch needs a job");
    }
    progress = progress == null ? Progress.NONE : progress;
  }

  /** A batch whose sender waits for the reply alone. */
  public DeliveryBatch(List<DeliveryJob> jobs) {
    this(jobs, Progress.NONE);
  }

  /** Hears of each job's report as it ends. */
  @FunctionalInterface
  public interface Progress {
    /** @param index the job's place in the batch */
    void reported(int index, DeliveryReport report);

    Progress NONE = (index, report) -> { };
  }

  /**
   * The reply: the reports of the batch's first jobs, in order, at least one. The jobs after them were not
   * attempted (a job found no usable host, or the delivery verticle stopped or ran out of connections): the
   * router queues them again at the head of their queue, without counting an attempt.
   */
  public record Reports(List<DeliveryReport> reports) {

    public Reports {
      reports = List.copyOf(reports);
    }
  }

  /**
   * Runs {@code jobs} one after another and collects their reports, telling {@code progress} of each as it
   * comes. It stops after a report that found no usable host ({@link DeliveryReport#unreachable()}: the next
   * jobs would wait out the same connect timeouts, and the site's health decides whether they go) and at a
   * failed run (a job not attempted). Fails only when the first job's run failed, with that failure: then none
   * was attempted.
   */
  public static <T> Future<List<DeliveryReport>> inTurn(List<T> jobs, Function<T, Future<DeliveryReport>> run,
                                                        Progress progress) {
    List<DeliveryReport> reports = new ArrayList<>(jobs.size());
    // AsyncLoop: one job at a time in constant stack depth, however many jobs end at once.
    return AsyncLoop.forEach(jobs.iterator(), job -> Attempt.of(() -> run.apply(job)).transform(ar -> {
      if (ar.failed()) {
        return reports.isEmpty() ? Future.failedFuture(ar.cause()) : Future.succeededFuture(false);
      }
      reports.add(ar.result());
      progress.reported(reports.size() - 1, ar.result());
      return Future.succeededFuture(!ar.result().unreachable());
    })).map(done -> reports);
  }
}
