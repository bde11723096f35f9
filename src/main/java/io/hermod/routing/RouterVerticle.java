package io.hermod.routing;

import io.hermod.api.Addresses;
import io.hermod.api.HandOverJson;
import io.hermod.api.HandOverObject;
import io.hermod.config.DeliveryConfig;
import io.hermod.config.HermodConfig;
import io.hermod.config.LiveConfig;
import io.hermod.delivery.DeliveryJob;
import io.hermod.delivery.DeliveryReport;
import io.hermod.delivery.DsnBuilder;
import io.hermod.delivery.RetrySchedule;
import io.hermod.egress.EgressSelector;
import io.hermod.local.LocalJob;
import io.hermod.queue.QueueIndex;
import io.hermod.config.ShapingConfig;
import io.hermod.shaping.ShapingRule;
import io.hermod.shaping.ShapingRules;
import io.hermod.shaping.ShapingState;
import io.hermod.shaping.SiteHealth;
import io.hermod.shaping.BounceClassifier;
import io.hermod.shaping.SiteKeys;
import io.hermod.spool.Envelope;
import io.hermod.spool.Recipient;
import io.hermod.spool.Spool;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The router role (Postfix's qmgr with trivial-rewrite): takes due messages from the spool into a bounded
 * active window, decides each recipient's route, resolves it, hands one {@link DeliveryJob} per
 * (message, destination) to the delivery verticles with backpressure, one {@link LocalJob} per (message,
 * local domain) to local delivery ({@link Addresses#LOCAL_JOB}), and records what they report:
 * retries, bounces (DSNs), events, removal. What is due comes from the {@link QueueIndex} (docs/queue.md), in
 * due order, as far as the window has room: nothing ever walks the spool to find it. A new message's
 * {@link Addresses#ROUTER_TRIGGER} takes it at once when there is room. See docs/routing.md.
 */
public final class RouterVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(RouterVerticle.class.getName());

  private final LiveConfig live;
  private HermodConfig config; // the configuration in force; replaced on reload, on this verticle's context
  private Runnable unfollow = () -> { };
  private final Spool spool;
  private final MxResolver resolver;
  private final RetrySchedule schedule;
  private final DsnBuilder dsnBuilder;
  private final Clock clock;
  private final List<InetSocketAddress> ownEndpoints;
  private final io.hermod.metrics.HermodMetrics metrics;
  private final DestinationLimits destinationLimits;
  private final DestinationLimits rateLimits;
  private final Set<String> usableSources; // egress sources whose address exists on this node

  private ActiveWindow window;
  private RoutePlanner planner;
  private SiteKeys siteKeys;
  private EgressSelector egress; // picks each job's egress source (replaced on reload)
  private DestinationResolver destinations;
  private Dispatcher<DeliveryJob> dispatcher;
  private SharedSuspensions suspensions;
  private ShapingState shapingState; // the shaping rules in force (replaced on reload) and their decisions
  /** Messages whose site opened again after they were deferred without an attempt: due now (bounded by shaping.maxParked). */
  private final java.util.Set<String> releasedEarly = new java.util.HashSet<>();
  private Dispatcher<LocalJob> localDispatcher;
  private OutcomePersister persister;
  private OperatorBounce operatorBounce;
  private MessageConsumer<JsonObject> triggers;
  private MessageConsumer<JsonObject> bounceRequests;
  private MessageConsumer<JsonObject> siteRequests;
  /** The busiest queues GET /queue/sites shows (the rest are counted). */
  private static final int SITES_SHOWN = 1000;
  /** How often the router looks at the index for due messages and closed sites that opened. */
  static final long TICK_MILLIS = 1000;
  private QueueIndex index;
  private RecentEnvelopes recent; // null: every envelope is loaded from the spool
  private ArrivalBell arrivals; // null: new mail comes by hermod.router.trigger only
  private long tickTimer = -1;
  private boolean pullAsked;
  /** Sites whose probe message was handed out, and when: one probe per site at a time. */
  private final Map<String, Long> probing = new java.util.HashMap<>();
  private BounceClassifier classifier = BounceClassifier.shipped();
  private io.hermod.events.EventJournal journal; // null: events are only published
  private TlsPlanning tlsPlanning; // each host's TLS policy (docs/security.md "Outbound TLS")

  /**
   * @param ownEndpoints the address and port of every listener of this instance (actual ports), so that
   *                     mail is never routed back to ourselves
   */
  public RouterVerticle(HermodConfig config, Spool spool, MxResolver resolver, RetrySchedule schedule,
                        DsnBuilder dsnBuilder, Clock clock, List<InetSocketAddress> ownEndpoints) {
    this(config, spool, resolver, schedule, dsnBuilder, clock, ownEndpoints, io.hermod.metrics.HermodMetrics.noop(),
        DestinationLimits.perNode(config.delivery().maxConnectionsPerDestination()),
        DestinationLimits.perNodeRate(config.delivery().ratePerDestination()));
  }

  /**
   * @param metrics           where the router counts outcomes and suspensions
   * @param destinationLimits the per-destination cap: this node's, or leased from the cluster
   * @param rateLimits        the per-destination rate in jobs per minute: this node's, or leased from the
   *                          cluster (asked only when delivery.ratePerDestination is set)
   */
  public RouterVerticle(HermodConfig config, Spool spool, MxResolver resolver, RetrySchedule schedule,
                        DsnBuilder dsnBuilder, Clock clock, List<InetSocketAddress> ownEndpoints,
                        io.hermod.metrics.HermodMetrics metrics, DestinationLimits destinationLimits,
                        DestinationLimits rateLimits) {
    this(LiveConfig.fixed(config), spool, resolver, schedule, dsnBuilder, clock, ownEndpoints, metrics,
        destinationLimits, rateLimits);
  }

  /**
   * A router that follows configuration reloads: routes, local domains and transports, retry and expiry
   * times, the global cap and suspension rules (docs/operations.md, "Hot reload").
   */
  public RouterVerticle(LiveConfig live, Spool spool, MxResolver resolver, RetrySchedule schedule,
                        DsnBuilder dsnBuilder, Clock clock, List<InetSocketAddress> ownEndpoints,
                        io.hermod.metrics.HermodMetrics metrics, DestinationLimits destinationLimits,
                        DestinationLimits rateLimits) {
    this(live, spool, resolver, schedule, dsnBuilder, clock, ownEndpoints, metrics, destinationLimits, rateLimits,
        live.current().delivery().egress().sources().keySet());
  }

  /**
   * @param usableSources the egress sources (delivery.sources) whose address exists on this node
   *                      (io.hermod.egress.SourceAddresses, checked once at start); jobs never name another
   */
  public RouterVerticle(LiveConfig live, Spool spool, MxResolver resolver, RetrySchedule schedule,
                        DsnBuilder dsnBuilder, Clock clock, List<InetSocketAddress> ownEndpoints,
                        io.hermod.metrics.HermodMetrics metrics, DestinationLimits destinationLimits,
                        DestinationLimits rateLimits, Set<String> usableSources) {
    this.usableSources = Set.copyOf(usableSources);
    this.metrics = metrics;
    this.destinationLimits = destinationLimits;
    this.rateLimits = rateLimits;
    this.live = live;
    this.config = live.current();
    this.spool = spool;
    this.resolver = resolver;
    this.schedule = schedule;
    this.dsnBuilder = dsnBuilder;
    this.clock = clock;
    this.ownEndpoints = List.copyOf(ownEndpoints);
  }

  /**
   * The queue index that follows this router's spool (registered as the spool's observer before recovery):
   * required, call before deploying. It is the router's only source of due mail.
   */
  public RouterVerticle indexedBy(QueueIndex queueIndex) {
    this.index = queueIndex;
    return this;
  }

  /**
   * Takes the envelopes the spool just stored from {@code recent} (the spool's observer) instead of reading them
   * back; call before deploying. Unset: every envelope is loaded from the spool.
   */
  public RouterVerticle handedOverBy(RecentEnvelopes recent) {
    this.recent = recent;
    return this;
  }

  /**
   * Takes due mail whenever the listeners ring {@code bell} (new mail, issue #17); call before deploying. The
   * {@link Addresses#ROUTER_TRIGGER} consumer stays for other senders.
   */
  public RouterVerticle ringingOn(ArrivalBell bell) {
    this.arrivals = bell;
    return this;
  }

  /** Appends every event to {@code journal} too (docs/events.md); call before deploying. */
  public RouterVerticle journalingTo(io.hermod.events.EventJournal journal) {
    this.journal = journal;
    return this;
  }

  /** The bounce classification of the events (the shipped rules unless set); call before deploying. */
  public RouterVerticle classifyingWith(BounceClassifier classifier) {
    this.classifier = classifier;
    return this;
  }

  /**
   * The TLS policy planner with its MTA-STS and DANE sources (docs/security.md "Outbound TLS"); call before
   * deploying. Unset: the configured levels only.
   */
  public RouterVerticle planningTlsWith(io.hermod.tlspolicy.TlsPolicyPlanner planner) {
    this.tlsPlanning = new TlsPlanning(planner);
    return this;
  }

  @Override
  public Future<?> start() {
    if (tlsPlanning == null) {
      planningTlsWith(io.hermod.tlspolicy.TlsPolicyPlanner.configured(config.outboundTls().level(),
          config.outboundTls().policies()));
    }
    if (index == null) {
      return Future.failedFuture(new IllegalStateException("RouterVerticle needs its queue index: indexedBy(...)"));
    }
    DeliveryConfig d = config.delivery();
    window = new ActiveWindow(d.activeWindow());
    planner = new RoutePlanner(config);
    siteKeys = siteKeysOf(config);
    destinations = new DestinationResolver(resolver, LoopDetector.forEndpoints(config.hostname(), ownEndpoints));
    Dispatcher.Limits limits = limitsOf(d);
    suspensions = new SharedSuspensions(vertx);
    shapingState = new ShapingState(rulesOf(config));
    ShapingConfig sc = config.shaping();
    Dispatcher.Shaping shaping = new Dispatcher.Shaping(new SiteHealth.Settings(sc.initialConnections(),
        sc.failedCohortLimit(), sc.probeSeconds() * 1000L, sc.maxProbeSeconds() * 1000L), shapingState,
        () -> siteKeys, sc.maxParked(), new Dispatcher.Listener() {
          @Override
          public void release(List<String> messageIds) {
            releaseEarly(messageIds);
          }

          @Override
          public void decided(ShapingState.Decision decision) {
            suspensions.announce(decision);
          }
        });
    dispatcher = new Dispatcher<>(vertx, clock, limits, shaping, destinationLimits, rateLimits,
        JobKinds.delivery(classifier), this::sendJob, metrics);
    BatchRequests batches = new BatchRequests(vertx.eventBus(), context, clock,
        () -> config.delivery().jobTimeoutSeconds() * 1000L, this::sendJob);
    dispatcher.batching(new Dispatcher.Batching<>(() -> config.delivery().maxJobsPerBatch(), batches::send));
    egress = egressOf(config);
    // Local jobs have their own scheduler: a slow LMTP server or bus consumer takes no SMTP slots.
    localDispatcher = new Dispatcher<>(vertx, clock, limits, Dispatcher.Shaping.off(),
        DestinationLimits.perNode(d.maxConnectionsPerDestination()),
        DestinationLimits.perNodeRate(d.ratePerDestination()), JobKinds.local(),
        job -> request(Addresses.LOCAL_JOB, job.toJson()), metrics);
    BounceWriter bounces = new BounceWriter(spool, new SpooledContent(vertx), dsnBuilder, schedule,
        config.hostname());
    DeliveryEvents events = new DeliveryEvents(vertx.eventBus(), metrics, classifier, journal);
    persister = new OutcomePersister(spool, new OutcomeRecorder(schedule, DnsRetry.of(config.dns())), bounces, events,
        vertx.eventBus(), clock);
    operatorBounce = new OperatorBounce(spool, bounces, events, vertx.eventBus(), clock);
    HandOverJson.register(vertx.eventBus());
    HandOverObject.registerDefault(vertx.eventBus(), DeliveryJob.class);
    HandOverObject.registerDefault(vertx.eventBus(), DeliveryReport.class);
    HandOverObject.registerDefault(vertx.eventBus(), io.hermod.delivery.DeliveryBatch.class);
    HandOverObject.registerDefault(vertx.eventBus(), io.hermod.delivery.DeliveryBatch.Reports.class);
    triggers = vertx.eventBus().localConsumer(Addresses.ROUTER_TRIGGER, this::onTrigger); // node-local: our spool
    bounceRequests = vertx.eventBus().localConsumer(Addresses.ROUTER_BOUNCE, this::onBounce);
    siteRequests = vertx.eventBus().localConsumer(Addresses.ROUTER_SITES, m -> m.reply(dispatcher.snapshot(SITES_SHOWN)));
    io.vertx.core.Context own = context;
    unfollow = live.onChange(next -> own.runOnContext(v -> reconfigure(next)));
    return Future.all(triggers.completion(), bounceRequests.completion(), siteRequests.completion(),
            suspensions.listen(dispatcher::apply))
        .onSuccess(v -> {
          tickTimer = vertx.setPeriodic(TICK_MILLIS, t -> tick());
          if (arrivals != null) {
            arrivals.listen(own, this::pull);
          }
          pull();
        });
  }

  private static Dispatcher.Limits limitsOf(DeliveryConfig d) {
    return new Dispatcher.Limits(d.maxConnections(), d.maxConnectionsPerDestination(), d.ratePerDestination(),
        d.requeueDelayMillis());
  }

  private static SiteKeys siteKeysOf(HermodConfig c) {
    return new SiteKeys(c.shaping().providers(), c.shaping().ownSiteDomains());
  }

  /** Passes over a (source, site) queue the dispatcher holds closed (suspended or dead). */
  private EgressSelector egressOf(HermodConfig c) {
    return new EgressSelector(c.delivery().egress(), usableSources,
        (source, site) -> dispatcher.isSuspended(DeliveryJob.queueKey(source, site)));
  }

  private static List<ShapingRule> rulesOf(HermodConfig c) {
    return ShapingRules.all(c.shaping().defaultRules(), c.shaping().rules(), c.delivery().suspendPatterns(),
        c.delivery().suspendSeconds());
  }

  /** A reloaded configuration: routing decisions, schedules and limits from now on follow it. */
  private void reconfigure(HermodConfig next) {
    config = next;
    planner = new RoutePlanner(next);
    tlsPlanning.planner().reconfigure(next.outboundTls().level(), next.outboundTls().policies());
    siteKeys = siteKeysOf(next);
    egress = egressOf(next);
    schedule.reconfigure(next.delivery());
    shapingState.rules(rulesOf(next));
    dispatcher.reconfigure(limitsOf(next.delivery()));
    localDispatcher.reconfigure(limitsOf(next.delivery()));
  }

  @Override
  public Future<?> stop() {
    unfollow.run();
    if (arrivals != null) {
      arrivals.stopListening();
    }
    vertx.cancelTimer(tickTimer);
    dispatcher.stop();
    localDispatcher.stop();
    return Future.join(triggers.unregister(), bounceRequests.unregister(), siteRequests.unregister(), suspensions.stop());
  }

  /** Messages in the active window now (for tests and metrics). */
  public int activeMessages() {
    return window == null ? 0 : window.size();
  }

  /**
   * True while the router works on {@code id} (routing, delivering or recording it). Safe from any thread;
   * the queue admin API refuses to change such a message, so that its update cannot race the router's.
   */
  public boolean isActive(String id) {
    return window != null && window.contains(id);
  }

  private void onTrigger(Message<JsonObject> message) {
    String id = message.body() == null ? null : message.body().getString("id");
    // Idempotent: an id already active is ignored; beyond the window the trigger is dropped (the scan finds it).
    if (id != null) {
      admit(id);
    }
  }

  /**
   * An operator bounce ({@link Addresses#ROUTER_BOUNCE}): refused (409) while the message is active, because a
   * delivery round may be out for it; otherwise it holds the message's slot while {@link OperatorBounce} marks it
   * (then the reply: the marked envelope) and finishes it. Both run on this context, so nothing else of the
   * router touches the message meanwhile.
   */
  private void onBounce(Message<JsonObject> request) {
    String id = request.body() == null ? null : request.body().getString("id");
    if (id == null || window.contains(id)) {
      request.fail(409, "queue id " + id + " is being delivered right now; try again shortly");
      return;
    }
    if (!window.tryAdmit(id)) {
      request.fail(503, "the router's active window is full; try again shortly");
      return;
    }
    index.take(id); // out of the schedule while we hold it (false when held: bounced all the same)
    spool.load(id).recover(e -> Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 404,
            "no queue id " + id)))
        .compose(env -> operatorBounce.mark(env).recover(e -> Future.failedFuture(
            new ReplyException(ReplyFailure.RECIPIENT_FAILURE, e instanceof IllegalStateException ? 409 : 500,
                e.getMessage()))))
        .onSuccess(marked -> {
          request.reply(marked.toJson());
          operatorBounce.finish(marked).onComplete(x -> release(id));
        })
        .onFailure(e -> {
          request.fail(e instanceof ReplyException re ? re.failureCode() : 500, e.getMessage());
          release(id);
        });
  }

  /**
   * Once a second: the messages of closed sites that opened (or expired, or a dead site's probe) first, then
   * due mail. The sites are looked at here only, not at every freed slot (thousands a second under load).
   */
  private void tick() {
    reopenSites(clock.instant());
    pull();
  }

  /** Takes due messages as far as the window has room, earliest first. Costs nothing when nothing is due. */
  private void pull() {
    pullAsked = false;
    int room = window.room();
    if (room > 0) {
      index.takeDue(clock.instant(), room).forEach(id -> admitTaken(id, false));
    }
  }

  /** A pull soon, once per turn of the event loop however many slots were freed in it. */
  private void askPull() {
    if (!pullAsked) {
      pullAsked = true;
      vertx.runOnContext(v -> pull());
    }
  }

  /**
   * Messages the index keeps WAITING for a closed site (docs/queue.md): all of an open site's (as far as the
   * window has room), one for a dead site whose probe is due, and any that reached their lifetime (they go to
   * the dispatcher, which refuses them, so they bounce with 4.4.7 like any expired mail).
   */
  private void reopenSites(Instant now) {
    probing.values().removeIf(at -> now.toEpochMilli() - at > PROBE_GUARD_MILLIS);
    for (String site : index.waitingSites()) {
      int room = window.room();
      if (room <= 0) {
        return;
      }
      switch (dispatcher.siteGate(site)) {
        case OPEN -> index.openSite(site, room).forEach(id -> admitTaken(id, true));
        case PROBE -> {
          if (probing.putIfAbsent(site, now.toEpochMilli()) == null) {
            index.openSite(site, 1).forEach(id -> admitTaken(id, true));
          }
        }
        case CLOSED -> { }
      }
    }
    int room = window.room();
    if (room > 0) {
      index.takeWaitingArrivedBefore(now.minus(schedule.lifetime()), room).forEach(id -> admitTaken(id, true));
    }
  }

  /** A probe's message is on its way to the dispatcher; another is handed out only after this long. */
  private static final long PROBE_GUARD_MILLIS = 30_000;

  /** Into the window and activated: {@code id} is taken in the index already. */
  private void admitTaken(String id, boolean early) {
    if (!window.tryAdmit(id)) {
      // Held by another path (an operator bounce): its release gives the index back its message.
      return;
    }
    if (early) {
      releasedEarly.add(id);
    }
    activate(id);
  }

  /**
   * With the slot for {@code id} taken: load it and start its round if it is due; completes once decided. A
   * message whose last site is closed is not even loaded: it waits in the index at no cost (docs/queue.md).
   */
  private Future<Void> activate(String id) {
    if (!releasedEarly.contains(id) && mustWaitForSite(id)) {
      index.waitForSite(id);
      window.release(id); // not release(id): the index keeps it WAITING, out of the schedule
      askPull();
      return Future.succeededFuture();
    }
    return envelopeOf(id).compose(env -> {
      if (env.bounceDsnId() != null) {
        // An operator bounce marked but not finished (a crash, or a failed step): finish it, held or not.
        return operatorBounce.finish(env).onComplete(x -> release(id));
      }
      if (env.isDone()) {
        // Every recipient final but still here: a removal cut short (its DSNs were committed before).
        return spool.remove(id).onComplete(x -> release(id));
      }
      boolean early = releasedEarly.remove(id);
      if (env.held() || (!early && env.nextAttempt().isAfter(clock.instant()))) {
        release(id);
        return Future.succeededFuture();
      }
      return spool.content(id).map(content -> {
        startRound(new ActiveMessage(env, content));
        return null;
      });
    }).onFailure(e -> {
      releasedEarly.remove(id);
      LOG.fine("queue id " + id + " not activated: " + e.getMessage());
      releaseFor(id, lookAgain());
    }).mapEmpty();
  }

  /** The durable envelope of {@code id}: handed over in memory when the spool just stored it, else read back. */
  private Future<Envelope> envelopeOf(String id) {
    Envelope handedOver = recent == null ? null : recent.take(id);
    return handedOver != null ? Future.succeededFuture(handedOver) : spool.load(id);
  }

  /** True when the site of {@code id}'s last routing is closed (or is a dead site whose probe is already out). */
  private boolean mustWaitForSite(String id) {
    String site = index.siteOf(id);
    if (site == null) {
      return false;
    }
    return switch (dispatcher.siteGate(site)) {
      case OPEN -> false;
      case CLOSED -> true;
      case PROBE -> probing.putIfAbsent(site, clock.millis()) != null;
    };
  }

  /**
   * The router is done with {@code id} for now: the index schedules it again by its (updated) envelope, but not
   * within a second, so that a message whose envelope could not change (a failed spool update) is not taken
   * again at once, over and over.
   */
  private void release(String id) {
    releaseFor(id, clock.instant().plusMillis(TICK_MILLIS));
  }

  /** As {@link #release(String)}, not due again before {@code notBefore} whatever its envelope says. */
  private void releaseFor(String id, Instant notBefore) {
    window.release(id);
    index.release(id, notBefore);
    askPull();
    if (releasedEarly.contains(id)) {
      // Its site opened while its deferral was being recorded: take it again now.
      vertx.runOnContext(v -> admit(id));
    }
  }

  /** The site of these messages opened again (Dispatcher.Listener): each is due now, its own retry time aside. */
  private void releaseEarly(List<String> ids) {
    releasedEarly.addAll(ids);
    ids.forEach(this::admit);
  }

  /** Takes {@code id} out of turn if the window has room; otherwise the index hands it over in due order. */
  private void admit(String id) {
    if (window.room() > 0 && index.take(id)) {
      admitTaken(id, false);
    }
  }

  /**
   * Plans the remote recipients by route and the local ones by domain, resolves every route in parallel,
   * then records or dispatches.
   */
  private void startRound(ActiveMessage msg) {
    Map<Route, List<Recipient>> byRoute = planner.remoteRecipients(msg.envelope());
    List<LocalJob> localJobs = new ArrayList<>();
    planner.localRecipients(msg.envelope()).forEach((domain, rcpts) -> localJobs.add(
        JobFactory.localJob(msg.envelope(), msg.content, domain, planner.transport(domain), rcpts)));
    if (byRoute.isEmpty() && localJobs.isEmpty()) {
      releaseFor(msg.id(), lookAgain()); // only recipients at local domains with transport "none": they stay queued
      return;
    }
    List<Route> routes = new ArrayList<>(byRoute.keySet());
    List<Future<Target>> targets = new ArrayList<>(routes.size());
    for (Route route : routes) {
      targets.add(destinations.resolve(route).compose(t -> tlsPlanning.apply(route, t, msg.envelope().tlsRequest())));
    }
    Future.join(targets).onComplete(done -> {
      List<DeliveryReport.Result> unreachable = new ArrayList<>();
      List<DeliveryJob> jobs = new ArrayList<>();
      for (int i = 0; i < routes.size(); i++) {
        List<Recipient> rcpts = byRoute.get(routes.get(i));
        Target target = targets.get(i).succeeded() ? targets.get(i).result()
            : new Target.Unreachable(451, "4.4.3", "route lookup failed: " + targets.get(i).cause().getMessage());
        if (target instanceof Target.Hosts hosts) {
          jobs.add(JobFactory.job(msg.envelope(), msg.content, routes.get(i).destination(), hosts.hosts(), rcpts,
              siteOf(routes.get(i), hosts.hosts()), egress));
        } else {
          unreachable.addAll(results((Target.Unreachable) target, rcpts));
        }
      }
      index.site(msg.id(), onlySite(jobs, localJobs.isEmpty() && unreachable.isEmpty()));
      msg.expect(jobs.size() + localJobs.size() + (unreachable.isEmpty() ? 0 : 1));
      if (!unreachable.isEmpty()) {
        record(msg, new DeliveryReport(null, null, unreachable), true); // decided here: logged by the persister
      }
      for (DeliveryJob job : jobs) {
        dispatcher.submit(job, report -> record(msg, report));
      }
      for (LocalJob job : localJobs) {
        localDispatcher.submit(job, report -> record(msg, report));
      }
    });
  }

  /** The one site all of a round's jobs go to, or null (several, or mail that is not only remote). */
  private static String onlySite(List<DeliveryJob> jobs, boolean onlyRemote) {
    if (!onlyRemote || jobs.isEmpty()) {
      return null;
    }
    String site = jobs.get(0).site();
    for (DeliveryJob job : jobs) {
      if (!job.site().equals(site)) {
        return null;
      }
    }
    return site;
  }

  /**
   * When a message that could not be worked on (unreadable now, or only local recipients without a transport)
   * is looked at again: delivery.scanIntervalSeconds from now.
   */
  private Instant lookAgain() {
    return clock.instant().plusSeconds(config.delivery().scanIntervalSeconds());
  }

  /** The site of a resolved route (io.hermod.shaping.SiteKeys): a configured next hop in brackets is its own. */
  private String siteOf(Route route, List<DeliveryJob.Host> hosts) {
    String mxOf = route instanceof Route.Mx mx ? mx.domain()
        : route instanceof Route.MxOfHost viaHost ? viaHost.host() : null;
    if (mxOf == null) {
      return route.destination();
    }
    List<String> names = new ArrayList<>(hosts.size());
    for (DeliveryJob.Host host : hosts) {
      names.add(host.name());
    }
    return siteKeys.ofMx(mxOf, names, hosts.isEmpty() ? 25 : hosts.get(0).port());
  }

  private void record(ActiveMessage msg, DeliveryReport report) {
    record(msg, report, false);
  }

  private void record(ActiveMessage msg, DeliveryReport report, boolean decidedHere) {
    msg.serially(() -> persister.persist(msg, report, decidedHere)).onComplete(x -> {
      if (msg.roundDone()) {
        release(msg.id());
      }
    });
  }

  private static List<DeliveryReport.Result> results(Target.Unreachable why, List<Recipient> rcpts) {
    DeliveryReport.Outcome outcome = why.permanent() ? DeliveryReport.Outcome.FAILED : DeliveryReport.Outcome.DEFERRED;
    return rcpts.stream()
        .map(r -> new DeliveryReport.Result(r.address(), outcome, why.code(), why.status(), why.text(), false))
        .toList();
  }

  /** The job itself, not its JSON: DeliveryJob and DeliveryReport are handed over between verticles (HandOverObject). */
  private Future<DeliveryReport> sendJob(DeliveryJob job) {
    return request(Addresses.DELIVERY_JOB, job);
  }

  /**
   * Jobs name a file of this node's spool: they stay on this node (Addresses.nodeLocal()). The reply is a
   * DeliveryReport handed over, or its JSON (local delivery, or a consumer of an application's own).
   */
  private Future<DeliveryReport> request(String address, Object job) {
    DeliveryOptions options = Addresses.nodeLocal().setSendTimeout(config.delivery().jobTimeoutSeconds() * 1000L);
    if (job instanceof JsonObject) {
      HandOverJson.handOver(options); // built for this send only: handed over, not copied
    }
    return vertx.eventBus().request(address, job, options).map(reply -> reply.body() instanceof DeliveryReport r
        ? r : DeliveryReport.fromJson((JsonObject) reply.body()));
  }
}
