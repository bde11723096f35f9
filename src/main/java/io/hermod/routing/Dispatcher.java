package io.hermod.routing;

import io.hermod.delivery.DeliveryReport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Sends delivery jobs with backpressure (Postfix's qmgr concurrency scheduler): at most
 * {@code maxInFlight} jobs in flight overall and what {@link DestinationLimits} allows per destination
 * (this node's {@code maxPerDestination}, or a share of a cluster-wide cap), an optional
 * per-destination rate (this node's, or its share of a cluster-wide rate), and suspended destinations get
 * nothing until the suspension ends. A job whose request fails (no consumer, timeout, busy) was not
 * attempted: it waits {@code requeueDelayMillis} and is sent again, so nothing is lost. Waiting jobs belong
 * to messages in the router's bounded active window, so this queue is bounded too. Runs on one Vert.x
 * context; not thread-safe. Generic in the job type: the router runs one for SMTP delivery jobs and one for
 * local delivery jobs.
 */
public final class Dispatcher<J> {

  private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());

  /** The settings of the scheduler; {@code ratePerDestination} 0 = unlimited. */
  public record Limits(int maxInFlight, int maxPerDestination, int ratePerDestination, long requeueDelayMillis) {
  }

  private final Vertx vertx;
  private final Clock clock;
  private Limits limits;
  private Backoff backoff;
  private final DestinationLimits destinationLimits;
  private final DestinationLimits rateLimits;
  private final Function<J, String> destinationOf;
  private final Function<J, Future<DeliveryReport>> sender;
  private final Map<String, Destination<J>> destinations = new LinkedHashMap<>();
  private int inFlight;
  private long timerId = -1;
  private long timerAt = Long.MAX_VALUE;
  private boolean pumping;
  private boolean pumpAgain;

  private final io.hermod.metrics.HermodMetrics metrics;

  /** A single-node scheduler without metrics (tests, local jobs). */
  Dispatcher(Vertx vertx, Clock clock, Limits limits, Backoff backoff, Function<J, String> destinationOf,
             Function<J, Future<DeliveryReport>> sender) {
    this(vertx, clock, limits, backoff, DestinationLimits.perNode(limits.maxPerDestination()),
        DestinationLimits.perNodeRate(limits.ratePerDestination()), destinationOf, sender,
        io.hermod.metrics.HermodMetrics.noop());
  }

  /**
   * @param destinationLimits jobs in flight per destination (this node's cap, or a share of the cluster's)
   * @param rateLimits        jobs per <em>minute</em> per destination (this node's rate, or a share of the
   *                          cluster's); only asked when {@code limits.ratePerDestination()} is not 0
   */
  Dispatcher(Vertx vertx, Clock clock, Limits limits, Backoff backoff, DestinationLimits destinationLimits,
             DestinationLimits rateLimits, Function<J, String> destinationOf,
             Function<J, Future<DeliveryReport>> sender, io.hermod.metrics.HermodMetrics metrics) {
    this.metrics = metrics;
    this.rateLimits = rateLimits;
    this.vertx = vertx;
    this.clock = clock;
    this.limits = limits;
    this.backoff = backoff;
    this.destinationLimits = destinationLimits;
    this.destinationOf = destinationOf;
    this.sender = sender;
    destinationLimits.start(this::pump);
    rateLimits.start(this::pump);
  }

  /** Queues a job; {@code onReport} gets its report once delivery answered (never for unanswered tries). */
  void submit(J job, Consumer<DeliveryReport> onReport) {
    destination(destinationOf.apply(job)).waiting.add(new Waiting<>(job, onReport));
    pump();
  }

  int inFlight() {
    return inFlight;
  }

  /**
   * True while the queue {@code key} is suspended: its jobs wait. Cheap (one map lookup); the router asks it
   * when picking an egress source, to pass over a throttled (source, site) queue.
   */
  boolean isSuspended(String key) {
    Destination<J> d = destinations.get(key);
    return d != null && clock.millis() < d.suspendedUntil;
  }

  /**
   * New limits and suspension rules (configuration reload). Jobs in flight finish; the global cap and the
   * requeue delay apply from the next pass. {@code maxPerDestination} and {@code ratePerDestination} are not
   * taken from here: the {@link DestinationLimits} own them (leased cluster-wide, so they need a restart).
   */
  void reconfigure(Limits next, Backoff nextBackoff) {
    limits = new Limits(next.maxInFlight(), limits.maxPerDestination(), limits.ratePerDestination(),
        next.requeueDelayMillis());
    backoff = nextBackoff;
    pump();
  }

  /**
   * Another node suspended {@code destination} for {@code millis} (SharedSuspensions, docs/cluster.md): no job
   * to it here either until then. Never shortens a suspension.
   */
  void suspend(String destination, long millis) {
    Destination<J> d = destination(destination);
    long until = clock.millis() + millis;
    if (until > d.suspendedUntil) {
      d.suspendedUntil = until;
      LOG.info("destination " + destination + " suspended for " + millis / 1000 + " s by another node");
    }
    pump();
  }

  /** Cancels the wake-up timer (verticle stop). */
  void stop() {
    destinationLimits.stop();
    rateLimits.stop();
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  private Destination<J> destination(String key) {
    return destinations.computeIfAbsent(key, k -> new Destination<>(limits.ratePerDestination() > 0
        ? new TokenBucket(ratePerSecond(k), clock.millis()) : null));
  }

  private double ratePerSecond(String destination) {
    return rateLimits.allowed(destination) / 60.0;
  }

  /**
   * Starts what the limits allow, one job per destination per pass so one destination cannot take all.
   * Never re-entered: a job whose report arrives synchronously (or any other caller during a pass) only asks
   * for another pass, so the stack stays flat however many jobs wait, and the destinations are never changed
   * while a pass walks them. Jobs are chosen during the walk and sent after it.
   */
  private void pump() {
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    try {
      do {
        pumpAgain = false;
        List<Started<J>> chosen = choose(clock.millis());
        chosen.forEach(this::send);
      } while (pumpAgain);
    } finally {
      pumping = false;
    }
  }

  private List<Started<J>> choose(long now) {
    List<Started<J>> chosen = new ArrayList<>();
    long wake = Long.MAX_VALUE;
    boolean started = true;
    while (started && inFlight < limits.maxInFlight()) {
      started = false;
      for (Map.Entry<String, Destination<J>> e : destinations.entrySet()) {
        Destination<J> d = e.getValue();
        if (d.waiting.isEmpty() || inFlight >= limits.maxInFlight()) {
          continue;
        }
        // A suspension is checked before the allowance: its end must wake the dispatcher even while the
        // allowance is 0 (a cluster lease is only asked for once the destination is not suspended).
        if (now < d.suspendedUntil) {
          wake = Math.min(wake, d.suspendedUntil);
          continue;
        }
        if (d.inFlight >= destinationLimits.allowed(e.getKey())) {
          continue;
        }
        long wait = 0;
        if (d.bucket != null) {
          d.bucket.rate(ratePerSecond(e.getKey()), now); // a cluster share may have changed
          wait = d.bucket.tryTake(now);
        }
        if (wait > 0) {
          wake = Math.min(wake, now + wait);
          continue;
        }
        d.inFlight++;
        inFlight++;
        chosen.add(new Started<>(d, d.waiting.poll()));
        started = true;
      }
    }
    reportDemand(now);
    forgetIdle(now);
    if (wake != Long.MAX_VALUE) {
      wakeAt(wake, now);
    }
    return chosen;
  }

  private void send(Started<J> s) {
    Destination<J> d = s.destination();
    Waiting<J> w = s.job();
    String destination = destinationOf.apply(w.job);
    Future<DeliveryReport> sent;
    try {
      sent = sender.apply(w.job);
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    sent.onComplete(result -> {
      d.inFlight--;
      inFlight--;
      if (result.succeeded()) {
        long suspend = backoff.suspendMillis(result.result());
        if (suspend > 0) {
          d.suspendedUntil = clock.millis() + suspend;
          metrics.shapingSuspension(destination); // metrics
          LOG.info("destination " + destination + " suspended for " + suspend / 1000 + " s: "
              + result.result().results().get(0).summary());
        }
        w.onReport.accept(result.result());
      } else {
        // Not attempted: try again after a short delay, without counting an attempt.
        LOG.fine("job to " + destination + " not attempted: "
            + result.cause().getMessage());
        vertx.setTimer(limits.requeueDelayMillis(), t -> {
          destination(destination).waiting.add(w);
          pump();
        });
      }
      pump();
    });
  }

  /** Tells the limits what each destination needs; a suspended destination asks for no new slots. */
  private void reportDemand(long now) {
    destinations.forEach((key, d) -> {
      int waiting = now < d.suspendedUntil ? 0 : d.waiting.size();
      destinationLimits.demand(key, d.inFlight, waiting);
      if (d.bucket != null) {
        rateLimits.demand(key, d.inFlight, waiting);
      }
    });
  }

  /** Drops destinations with nothing waiting or in flight, no suspension and a full bucket (memory stays bounded). */
  private void forgetIdle(long now) {
    Iterator<Destination<J>> it = destinations.values().iterator();
    while (it.hasNext()) {
      Destination<J> d = it.next();
      if (d.waiting.isEmpty() && d.inFlight == 0 && now >= d.suspendedUntil
          && (d.bucket == null || d.bucket.isFull(now))) {
        it.remove();
      }
    }
  }

  private void wakeAt(long at, long now) {
    if (timerId >= 0 && timerAt <= at) {
      return;
    }
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    timerAt = at;
    timerId = vertx.setTimer(Math.max(1, at - now), t -> {
      timerId = -1;
      timerAt = Long.MAX_VALUE;
      pump();
    });
  }

  private record Waiting<J>(J job, Consumer<DeliveryReport> onReport) {
  }

  private record Started<J>(Destination<J> destination, Waiting<J> job) {
  }

  private static final class Destination<J> {
    final ArrayDeque<Waiting<J>> waiting = new ArrayDeque<>();
    TokenBucket bucket;
    int inFlight;
    long suspendedUntil;

    Destination(TokenBucket bucket) {
      this.bucket = bucket;
    }
  }
}
