package io.hermod.routing;

import io.hermod.async.Attempt;
import io.hermod.delivery.DeliveryBatch;
import io.hermod.delivery.DeliveryReport;
import io.hermod.shaping.QueueKey;
import io.hermod.shaping.ShapingState;
import io.hermod.shaping.SiteHealth;
import io.hermod.shaping.SiteLimits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Sends delivery jobs with backpressure (Postfix's qmgr scheduler), per (egress source, site) queue
 * (docs/delivery.md "Sites"): at most {@code maxInFlight} jobs in flight overall; per queue what the
 * {@link DestinationLimits} allow (this node's cap or a share of a cluster-wide one), lowered by a provider's
 * cap, a shaping rule and the site's connection window ({@link SiteHealth}); an optional rate.
 *
 * <p>A queue that is suspended (a shaping rule) or dead (its site refused a failed cohort of connections)
 * costs nothing per message: its jobs are answered at once, without a connection, with "451 4.4.1 delivery
 * temporarily suspended: reason", and their message ids are parked. When the queue opens again (the
 * suspension ends, or the single probe of a dead site reached it), the parked ids are released to the router,
 * due at once. A job whose request fails (no consumer, timeout, busy) was not attempted: it waits
 * {@code requeueDelayMillis} and is sent again. When a queue's connections are all busy, a freed one takes its
 * share of the waiting jobs in one request ({@link Batching}, docs/routing.md "Batches"). Runs on one Vert.x
 * context; not thread-safe. Generic in the job type: the router runs one for SMTP delivery jobs and one for local
 * delivery jobs (shaping off).
 */
public final class Dispatcher<J> {

  private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());

  /** The settings of the scheduler; {@code ratePerDestination} (per second) 0 = unlimited. */
  public record Limits(int maxInFlight, int maxPerDestination, int ratePerDestination, long requeueDelayMillis) {
  }

  /** What the dispatcher needs to know of a job type. */
  /**
   * @param queueKey   the queue a job belongs to ({@link QueueKey} written out)
   * @param messageId  the spool id of the job's message (parked while its queue is closed)
   * @param recipients the job's recipient addresses
   * @param onRefused  told of each job answered without an attempt, with its report (to log it)
   */
  public record Jobs<J>(Function<J, String> queueKey, Function<J, String> messageId,
                        Function<J, List<String>> recipients, java.util.function.BiConsumer<J, DeliveryReport> onRefused) {

    /** The report for a job not attempted: every recipient gets {@code code status text}, failed for 5xx. */
    DeliveryReport refused(J job, int code, String status, String text) {
      DeliveryReport.Outcome outcome = code >= 500 ? DeliveryReport.Outcome.FAILED : DeliveryReport.Outcome.DEFERRED;
      DeliveryReport report = new DeliveryReport(null, null, recipients.apply(job).stream()
          .map(r -> new DeliveryReport.Result(r, outcome, code, status, text, false)).toList());
      onRefused.accept(job, report);
      return report;
    }
  }

  /**
   * Several waiting jobs of a queue sent as one request when its connections are all busy (docs/routing.md
   * "Batches"): at most {@code maxJobs()} (1 = never), to a {@code sender} that tells the progress it is given
   * of each report as its job ends (on the dispatcher's context) and whose reply holds the reports of the first
   * jobs in order; the jobs after them were not attempted (DeliveryBatch.Reports).
   */
  public record Batching<J>(IntSupplier maxJobs,
                            BiFunction<List<J>, DeliveryBatch.Progress, Future<List<DeliveryReport>>> sender) {
  }

  /** What the router hears of the dispatcher's decisions. */
  public interface Listener {
    /** Messages parked while their queue was closed: it is open again, they are due now. */
    void release(List<String> messageIds);

    /** A shaping rule fired here: to be announced to the other nodes. */
    void decided(ShapingState.Decision decision);

    Listener NONE = new Listener() {
      @Override
      public void release(List<String> messageIds) {
      }

      @Override
      public void decided(ShapingState.Decision decision) {
      }
    };
  }

  /**
   * Shaping: the sites' health settings, the rules and their decisions, provider limits, how many message
   * ids may be parked in all, and the listener.
   */
  public record Shaping(SiteHealth.Settings health, ShapingState state, Supplier<SiteLimits> siteLimits,
                        int maxParked, Listener listener) {

    /** No windows, dead marks, rules or provider limits (local delivery, tests). */
    public static Shaping off() {
      return new Shaping(SiteHealth.Settings.OFF, new ShapingState(List.of()), () -> SiteLimits.DEFAULTS, 0,
          Listener.NONE);
    }
  }

  private final Vertx vertx;
  private final Clock clock;
  private Limits limits;
  private final Shaping shaping;
  private final DestinationLimits destinationLimits;
  private final DestinationLimits rateLimits;
  private final Jobs<J> jobs;
  private final Function<J, Future<DeliveryReport>> sender;
  private Batching<J> batching;
  private final Map<String, SiteQueue<J>> queues = new LinkedHashMap<>();
  /** The same queues by site (one per egress source that sends there). */
  private final Map<String, List<SiteQueue<J>>> bySite = new java.util.HashMap<>();
  private final io.hermod.metrics.HermodMetrics metrics;
  private int inFlight;
  private int parked;
  private long timerId = -1;
  private long timerAt = Long.MAX_VALUE;
  private boolean pumping;
  private long lastExpiry;
  private boolean pumpAgain;

  /** A single-node scheduler without shaping or metrics (tests). */
  Dispatcher(Vertx vertx, Clock clock, Limits limits, Function<J, String> queueKeyOf,
             Function<J, Future<DeliveryReport>> sender) {
    this(vertx, clock, limits, Shaping.off(), DestinationLimits.perNode(limits.maxPerDestination()),
        DestinationLimits.perNodeRate(limits.ratePerDestination()),
        new Jobs<>(queueKeyOf, String::valueOf, job -> List.of(), (job, report) -> { }), sender,
        io.hermod.metrics.HermodMetrics.noop());
  }

  /**
   * @param destinationLimits jobs in flight per queue (this node's cap, or a share of the cluster's)
   * @param rateLimits        jobs per <em>minute</em> per queue (this node's rate, or a share of the
   *                          cluster's); only asked when {@code limits.ratePerDestination()} is not 0
   */
  Dispatcher(Vertx vertx, Clock clock, Limits limits, Shaping shaping, DestinationLimits destinationLimits,
             DestinationLimits rateLimits, Jobs<J> jobs, Function<J, Future<DeliveryReport>> sender,
             io.hermod.metrics.HermodMetrics metrics) {
    this.metrics = metrics;
    this.rateLimits = rateLimits;
    this.vertx = vertx;
    this.clock = clock;
    this.limits = limits;
    this.shaping = shaping;
    this.destinationLimits = destinationLimits;
    this.jobs = jobs;
    this.sender = sender;
    destinationLimits.start(this::pump);
    rateLimits.start(this::pump);
  }

  /** From now on, a queue's waiting jobs may go in batches (see {@link Batching}); unset: one job per request. */
  void batching(Batching<J> batching) {
    this.batching = batching;
  }

  /** Queues a job; {@code onReport} gets its report once delivery answered (never for unanswered tries). */
  void submit(J job, Consumer<DeliveryReport> onReport) {
    queue(jobs.queueKey().apply(job)).waiting.add(new SiteQueue.Waiting<>(job, onReport));
    pump();
  }

  int inFlight() {
    return inFlight;
  }

  /**
   * True while the queue {@code key} is closed: suspended by a shaping rule, or its site is dead. Cheap; the
   * router asks it when picking an egress source, to pass over a throttled or dead (source, site) queue.
   */
  boolean isSuspended(String key) {
    SiteQueue<J> q = queues.get(key);
    QueueKey parsed = q == null ? QueueKey.parse(key) : q.key;
    return shaping.state().suspendedUntil(parsed, clock.millis()) > 0 || (q != null && q.health.dead());
  }

  /** What the router may do with a due message whose last routing went to a site (see {@link #siteGate}). */
  enum SiteGate {
    /** Route it: the site is open, unknown here, or bouncing (its mail must reach the bounce). */
    OPEN,
    /** Keep it waiting in the queue index: every queue of the site is suspended or dead. */
    CLOSED,
    /** A dead site's probe is due and nothing here can be it: one message may go. */
    PROBE
  }

  /**
   * Whether mail for {@code site} should be routed now. CLOSED costs a waiting message nothing (no spool
   * update, no log line, docs/queue.md); the router keeps it out of the schedule until the gate opens.
   */
  SiteGate siteGate(String site) {
    List<SiteQueue<J>> of = bySite.get(site);
    if (of == null || of.isEmpty()) {
      return SiteGate.OPEN;
    }
    long now = clock.millis();
    boolean probe = false;
    for (SiteQueue<J> q : of) {
      if (shaping.state().bounceReason(q.key, now) != null) {
        return SiteGate.OPEN;
      }
      if (shaping.state().suspendedUntil(q.key, now) > 0) {
        continue;
      }
      if (!q.health.dead()) {
        return SiteGate.OPEN;
      }
      // The dispatcher probes with a parked or waiting message of its own when it has one.
      probe |= q.health.allowed(1, now) > 0 && q.parked.isEmpty() && q.waiting.isEmpty() && q.inFlight == 0;
    }
    return probe ? SiteGate.PROBE : SiteGate.CLOSED;
  }

  /**
   * New limits (configuration reload). Jobs in flight finish; the global cap and the requeue delay apply from
   * the next pass. {@code maxPerDestination} and {@code ratePerDestination} are not taken from here: the
   * {@link DestinationLimits} own them (leased cluster-wide, so they need a restart).
   */
  void reconfigure(Limits next) {
    limits = new Limits(next.maxInFlight(), limits.maxPerDestination(), limits.ratePerDestination(),
        next.requeueDelayMillis());
    pump();
  }

  /** A decision made on another node (SharedSuspensions, docs/cluster.md): it holds here too. */
  void apply(ShapingState.Decision decision) {
    shaping.state().apply(decision, clock.millis());
    LOG.info("shaping: " + decision.scope() + " " + SiteQueueViews.decision(decision) + " by another node ("
        + decision.reason() + ")");
    pump();
  }

  /**
   * The queues now, busiest first (parked, waiting and in flight), at most {@code limit}: each with its state
   * ({@code open}, {@code suspended}, {@code dead}, {@code bouncing}), counts, connection window and reason
   * (docs/operations.md "Sites").
   */
  io.vertx.core.json.JsonObject snapshot(int limit) {
    long now = clock.millis();
    io.vertx.core.json.JsonArray out = new io.vertx.core.json.JsonArray();
    queues.values().stream()
        .sorted((a, b) -> Integer.compare(b.parked.size() + b.waiting.size() + b.inFlight,
            a.parked.size() + a.waiting.size() + a.inFlight))
        .limit(limit)
        .forEach(q -> out.add(SiteQueueViews.queue(q, shaping.state(), q.health.allowed(cap(q, now), now),
            now)));
    return new io.vertx.core.json.JsonObject().put("sites", out).put("total", queues.size())
        .put("parked", parked);
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

  private SiteQueue<J> queue(String key) {
    SiteQueue<J> q = queues.get(key);
    if (q == null) {
      q = new SiteQueue<>(QueueKey.parse(key), new SiteHealth(shaping.health()));
      queues.put(key, q);
      bySite.computeIfAbsent(q.key.site(), s -> new ArrayList<>(1)).add(q);
    }
    return q;
  }

  /**
   * Starts what the limits allow, one job per queue per pass so one queue cannot take all. Never re-entered: a
   * job whose report arrives synchronously (or any other caller during a pass) only asks for another pass, so
   * the stack stays flat however many jobs wait, and the queues are never changed while a pass walks them.
   * Jobs are chosen during the walk and sent (or answered) after it.
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
        Pass<J> pass = new Pass<>();
        choose(clock.millis(), pass);
        pass.refused.forEach(Runnable::run);
        if (!pass.released.isEmpty()) {
          shaping.listener().release(pass.released);
        }
        pass.started.forEach(this::send);
      } while (pumpAgain);
    } finally {
      pumping = false;
    }
  }

  /** What one pass decided: jobs to send, jobs answered without an attempt, message ids released. */
  private static final class Pass<J> {
    final List<Started<J>> started = new ArrayList<>();
    final List<Runnable> refused = new ArrayList<>();
    final List<String> released = new ArrayList<>();
  }

  private void choose(long now, Pass<J> pass) {
    long wake = Long.MAX_VALUE;
    for (SiteQueue<J> q : queues.values()) {
      wake = Math.min(wake, gate(q, now, pass));
    }
    boolean started = true;
    while (started && inFlight < limits.maxInFlight()) {
      started = false;
      for (SiteQueue<J> q : queues.values()) {
        if (q.waiting.isEmpty() || inFlight >= limits.maxInFlight()) {
          continue;
        }
        int allowed = q.health.allowed(cap(q, now), now);
        if (q.inFlight >= allowed) {
          continue;
        }
        long wait = takeToken(q, now);
        if (wait > 0) {
          wake = Math.min(wake, now + wait);
          continue;
        }
        int take = batchSize(q, allowed - q.inFlight);
        q.inFlight++;
        inFlight++;
        q.health.started();
        pass.started.add(new Started<>(q, take(q, take)));
        started = true;
      }
    }
    reportDemand(now);
    forgetIdle(now);
    if (now - lastExpiry >= 1000) { // a sweep of every decision: once a second is enough, not every pass
      shaping.state().expire(now);
      lastExpiry = now;
    }
    if (wake != Long.MAX_VALUE) {
      wakeAt(wake, now);
    }
  }

  /**
   * How many of the queue's waiting jobs the next request carries: its share of them over the connections it
   * may still open ({@code free}), so that every free connection gets work, at most {@link Batching#maxJobs()}.
   * One while the site is dead (the probe is one message) and under a rate (its tokens count jobs).
   */
  private int batchSize(SiteQueue<J> q, int free) {
    if (batching == null || q.bucket != null || q.health.dead()) {
      return 1;
    }
    int share = (q.waiting.size() + free - 1) / free;
    return Math.max(1, Math.min(share, batching.maxJobs().getAsInt()));
  }

  /** The next {@code count} waiting jobs of the queue (one, most of the time: no list to grow). */
  private static <J> List<SiteQueue.Waiting<J>> take(SiteQueue<J> q, int count) {
    if (count == 1) {
      return List.of(q.waiting.poll());
    }
    List<SiteQueue.Waiting<J>> taken = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      taken.add(q.waiting.poll());
    }
    return taken;
  }

  /**
   * A closed queue (bounced, suspended, dead without a due probe) answers its waiting jobs at once; an open
   * one releases what it parked (a dead one: one message, the probe). Returns when to look again.
   */
  private long gate(SiteQueue<J> q, long now, Pass<J> pass) {
    String bounce = shaping.state().bounceReason(q.key, now);
    if (bounce != null) {
      refuseAll(q, pass, 554, "5.0.0", "bounced by shaping " + bounce, "bounced");
      release(q, q.parked.size(), pass); // parked mail comes back to bounce too
      return Long.MAX_VALUE;
    }
    long suspendedUntil = shaping.state().suspendedUntil(q.key, now);
    if (suspendedUntil > 0) {
      q.health.throttled(); // the suspension ends with a single probe
      refuseAll(q, pass, 451, "4.4.1", "delivery temporarily suspended: " + shaping.state().suspendReason(q.key, now),
          "suspended");
      return suspendedUntil;
    }
    if (q.health.dead()) {
      if (q.health.allowed(1, now) == 0) {
        refuseAll(q, pass, 451, "4.4.1", "delivery temporarily suspended: " + q.health.lastError(), "dead");
        return q.health.probeAt() > now ? q.health.probeAt() : Long.MAX_VALUE;
      }
      if (q.waiting.isEmpty()) {
        release(q, 1, pass); // the probe
      }
      return Long.MAX_VALUE;
    }
    release(q, q.parked.size(), pass);
    return Long.MAX_VALUE;
  }

  private void refuseAll(SiteQueue<J> q, Pass<J> pass, int code, String status, String text, String why) {
    while (!q.waiting.isEmpty()) {
      SiteQueue.Waiting<J> w = q.waiting.poll();
      String id = jobs.messageId().apply(w.job());
      if (code < 500) {
        park(q, id);
      }
      metrics.shapingRefused(why);
      pass.refused.add(() -> w.onReport().accept(jobs.refused(w.job(), code, status, text)));
    }
  }

  private void release(SiteQueue<J> q, int count, Pass<J> pass) {
    Iterator<String> ids = q.parked.iterator();
    for (int i = 0; i < count && ids.hasNext(); i++) {
      pass.released.add(ids.next());
      ids.remove();
      parked--;
    }
  }

  /** Remembers {@code id} for the queue's opening, once, while the total stays within shaping.maxParked. */
  private void park(SiteQueue<J> q, String id) {
    if (parked < shaping.maxParked() && q.parked.add(id)) {
      parked++;
    }
  }

  /** The queue's connection cap: the node's (or cluster share), a provider's, a shaping rule's. */
  private int cap(SiteQueue<J> q, long now) {
    int cap = shaping.siteLimits().get().cap(q.key.site(), destinationLimits.allowed(q.key.toString()));
    return shaping.state().cap(q.key, cap, now);
  }

  /**
   * 0 when a job may start now (or no rate applies), else milliseconds to wait. The rate is the node's (or its
   * share of the cluster's, which may be 0 for a while), lowered by a provider's and a shaping rule's.
   */
  private long takeToken(SiteQueue<J> q, long now) {
    double perMinute = limits.ratePerDestination() > 0 ? rateLimits.allowed(q.key.toString()) : Double.MAX_VALUE;
    int provider = shaping.siteLimits().get().ratePerMinute(q.key.site(), 0);
    int rule = shaping.state().ratePerMinute(q.key, 0, now);
    perMinute = Math.min(perMinute, provider > 0 ? provider : Double.MAX_VALUE);
    perMinute = Math.min(perMinute, rule > 0 ? rule : Double.MAX_VALUE);
    if (perMinute == Double.MAX_VALUE) {
      q.bucket = null;
      return 0;
    }
    if (q.bucket == null) {
      q.bucket = new TokenBucket(perMinute / 60.0, now);
    }
    q.bucket.rate(perMinute / 60.0, now); // a cluster share or a rule may have changed it
    return q.bucket.tryTake(now);
  }

  private void send(Started<J> s) {
    if (s.jobs().size() > 1) {
      sendBatch(s.queue(), s.jobs());
      return;
    }
    SiteQueue<J> q = s.queue();
    SiteQueue.Waiting<J> w = s.jobs().get(0);
    // A sender that throws is a failed request (not attempted), like any other.
    Attempt.of(() -> sender.apply(w.job())).onComplete(result -> {
      q.inFlight--;
      inFlight--;
      if (result.succeeded()) {
        learn(q, w.job(), result.result());
        w.onReport().accept(result.result());
      } else {
        notAttempted(q, s.jobs(), result.cause());
      }
      pump();
    });
  }

  /**
   * A batch: each report is taken as a single job's would be, as soon as it comes (the router records it at
   * once), in order; the jobs the reply has no report for were not attempted and go back to the head of their
   * queue, in order, at once (their turn is next). A failed request is a failed request for every job not yet
   * reported; a report that comes after the reply (or the failure) is dropped, as a single job's late reply is.
   */
  private void sendBatch(SiteQueue<J> q, List<SiteQueue.Waiting<J>> batch) {
    BatchState state = new BatchState();
    DeliveryBatch.Progress progress = (index, report) -> {
      if (!state.answered && index == state.reported && index < batch.size()) {
        state.reported++;
        SiteQueue.Waiting<J> w = batch.get(index);
        learn(q, w.job(), report);
        w.onReport().accept(report);
      }
    };
    List<J> jobsOf = batch.stream().map(SiteQueue.Waiting::job).toList();
    Attempt.of(() -> batching.sender().apply(jobsOf, progress)).onComplete(result -> {
      q.inFlight--;
      inFlight--;
      if (result.failed()) {
        state.answered = true;
        if (state.reported < batch.size()) {
          notAttempted(q, batch.subList(state.reported, batch.size()), result.cause());
        }
      } else {
        List<DeliveryReport> reports = result.result();
        for (int i = state.reported; i < Math.min(reports.size(), batch.size()); i++) {
          progress.reported(i, reports.get(i));
        }
        state.answered = true;
        SiteQueue<J> now = queue(q.key.toString());
        for (int i = batch.size() - 1; i >= state.reported; i--) {
          now.waiting.addFirst(batch.get(i));
        }
      }
      pump();
    });
  }

  /** How far a batch's reports were taken, and whether its request was answered. */
  private static final class BatchState {
    int reported;
    boolean answered;
  }

  /**
   * Jobs whose request failed (no consumer, timeout, busy) were not attempted: they are sent again after a short
   * delay, without counting an attempt, at the head of their queue: they keep their turn (at the tail, a job
   * refused "busy" waited behind every job queued meanwhile, again at each refusal: under sustained load a tail
   * of messages many times older than the rest).
   */
  private void notAttempted(SiteQueue<J> q, List<SiteQueue.Waiting<J>> jobs, Throwable cause) {
    q.health.notAttempted();
    LOG.fine(jobs.size() + " job(s) to " + q.key + " not attempted: " + cause.getMessage());
    vertx.setTimer(limits.requeueDelayMillis(), t -> {
      SiteQueue<J> now = queue(q.key.toString());
      for (int i = jobs.size() - 1; i >= 0; i--) {
        now.waiting.addFirst(jobs.get(i));
      }
      pump();
    });
  }

  /** What a report teaches about its site: reached or not (the dead mark), and the shaping rules it trips. */
  private void learn(SiteQueue<J> q, J job, DeliveryReport report) {
    long now = clock.millis();
    int cap = cap(q, now);
    if (report.unreachable()) {
      String error = report.results().isEmpty() ? "no host answered" : report.results().get(0).summary();
      q.failing.add(jobs.messageId().apply(job));
      if (q.health.unreachable(error, cap, now) == SiteHealth.Change.DIED) {
        metrics.siteDied();
        LOG.warning("site " + q.key + " is dead after a failed cohort of connections (" + error
            + "): its mail is deferred without attempts; one probe in " + (q.health.probeAt() - now) / 1000 + " s");
      }
      if (q.health.dead()) {
        // The cohort that found the site dead (and each failed probe) waits for its revival like the rest.
        q.failing.forEach(id -> park(q, id));
        q.failing.clear();
      }
    } else if (q.health.reached(cap) == SiteHealth.Change.REVIVED) {
      LOG.info("site " + q.key + " answers again (probe reached " + report.remoteHost() + "): releasing "
          + q.parked.size() + " deferred messages");
    }
    if (!report.unreachable()) {
      q.failing.clear();
    }
    List<String> replies = report.results().stream().filter(r -> r.outcome() != DeliveryReport.Outcome.DELIVERED)
        .map(DeliveryReport.Result::summary).toList();
    if (replies.isEmpty()) {
      return;
    }
    for (ShapingState.Decision d : shaping.state().onReplies(q.key, replies, now)) {
      metrics.shapingDecision(d.action().name().toLowerCase(java.util.Locale.ROOT), q.key.site());
      LOG.info("shaping: " + d.scope() + " " + SiteQueueViews.decision(d) + " (" + d.reason() + ")");
      shaping.listener().decided(d);
    }
  }

  /** Tells the limits what each queue needs; a closed queue asks for no new slots. */
  private void reportDemand(long now) {
    queues.forEach((key, q) -> {
      destinationLimits.demand(key, q.inFlight, q.waiting.size());
      if (q.bucket != null && limits.ratePerDestination() > 0) {
        rateLimits.demand(key, q.inFlight, q.waiting.size());
      }
    });
  }

  /** Drops idle queues (memory stays bounded by the queues with mail or with something learnt). */
  private void forgetIdle(long now) {
    Iterator<SiteQueue<J>> it = queues.values().iterator();
    while (it.hasNext()) {
      SiteQueue<J> q = it.next();
      if (q.idle(now)) {
        it.remove();
        List<SiteQueue<J>> of = bySite.get(q.key.site());
        of.remove(q);
        if (of.isEmpty()) {
          bySite.remove(q.key.site());
        }
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

  private record Started<J>(SiteQueue<J> queue, List<SiteQueue.Waiting<J>> jobs) {
  }
}
