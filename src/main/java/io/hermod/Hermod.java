package io.hermod;

import io.hermod.api.Addresses;
import io.hermod.app.AppVerticles;
import io.hermod.app.VerticleClasses;
import io.hermod.submit.SubmitVerticle;
import io.hermod.auth.LoginCache;
import io.hermod.auth.UserStore;
import io.hermod.auth.AuthThrottle;
import io.hermod.auth.UserStoreAuthenticator;
import io.hermod.config.HermodConfig;
import io.hermod.config.LiveConfig;
import io.hermod.config.ReloadPlan;
import io.hermod.config.ListenerConfig;
import io.hermod.delivery.DsnBuilder;
import io.hermod.events.CursorStore;
import io.hermod.events.EventJournal;
import io.hermod.events.FileCursorStore;
import io.hermod.events.FileEventJournal;
import io.hermod.events.FeedVerticle;
import io.hermod.events.NodeId;
import io.hermod.config.EventsConfig;
import io.hermod.delivery.DsnIdentifiers;
import io.hermod.delivery.RetrySchedule;
import io.hermod.cluster.ClusterSlotLeases;
import io.hermod.routing.DestinationLimits;
import io.hermod.local.LocalDeliveryVerticle;
import io.hermod.routing.LoopDetector;
import io.hermod.routing.MxResolver;
import io.hermod.routing.ArrivalBell;
import io.hermod.routing.RecentEnvelopes;
import io.hermod.spool.RecentContent;
import io.hermod.routing.RouterVerticle;
import io.hermod.shaping.BounceClassifier;
import io.hermod.config.DeliveryConfig;
import io.hermod.metrics.HermodMetrics;
import io.hermod.ops.BulkJobs;
import io.hermod.ops.OpsHttpVerticle;
import io.hermod.ops.QueueAdmin;
import io.hermod.ops.Readiness;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;
import io.hermod.delivery.DeliverySettings;
import io.hermod.delivery.DeliveryVerticle;
import io.hermod.delivery.OutboundTls;
import io.hermod.config.OutboundTlsConfig;
import io.hermod.tlspolicy.DaneSource;
import io.hermod.tlspolicy.MtaStsSource;
import io.hermod.tlspolicy.PkixCheck;
import io.hermod.tlspolicy.dane.DanePeerCheck;
import io.hermod.tlspolicy.dane.DaneSources;
import io.hermod.tlspolicy.PolicyPeerCheck;
import io.hermod.tlspolicy.TlsPolicyPlanner;
import io.hermod.tlspolicy.TlsReportSink;
import io.hermod.egress.EgressSource;
import io.hermod.egress.SourceAddresses;
import io.hermod.delivery.NodeConnections;
import io.hermod.delivery.StageTimeouts;
import io.hermod.server.ListenerVerticle;
import io.hermod.server.ServerContext;
import io.hermod.dkim.DkimKeyring;
import io.hermod.flow.Backlog;
import io.hermod.flow.FlowGate;
import io.hermod.flow.SampledBacklog;
import io.hermod.dkim.DnsjavaDkimDns;
import io.hermod.spf.DnsjavaSpfDns;
import io.hermod.spf.SpfEvaluator;
import io.hermod.queue.QueueIndex;
import io.hermod.spool.Envelope;
import io.hermod.spool.FileSpool;
import io.hermod.spool.Spool;
import io.hermod.spool.SpoolLock;
import io.hermod.tls.ServerCertificate;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * One running Hermod: the spool recovered, then one verticle per role deployed. {@link Main} uses it, and
 * so do tests that want a whole instance in their own Vert.x.
 */
public final class Hermod {

  private static final Logger LOG = Logger.getLogger(Hermod.class.getName());

  private final Vertx vertx;
  private final HermodConfig config; // as started: listeners, spool, pools (what a reload cannot change)
  private final LiveConfig live;
  private final RetrySchedule schedule;
  private final HotReload hotReload;
  private final Spool spool;
  private final MxResolver resolver;
  private final ServerContext serverContext;
  private final FlowGate flow; // flow control, shared by the listeners and hermod.submit
  private final List<String> deployments = new ArrayList<>();
  private final List<ListenerVerticle> listeners = new ArrayList<>();

  private final WorkerExecutor authWorkers;
  private final SpoolLock spoolLock; // held from start until stop() has closed the spool
  private final PrometheusMeterRegistry registry;
  private final HermodMetrics metrics;
  private final Readiness readiness;
  // What is queued, in memory (io.hermod.queue): the queue admin's lists, shape, counts and bulk jobs read it.
  private final QueueIndex queueIndex = new QueueIndex();
  /** The envelopes just stored, handed to the router in memory (issue #17); tells the queue index of every change. */
  private final RecentEnvelopes recentEnvelopes = new RecentEnvelopes(queueIndex);
  /** The bytes of the messages just stored, sent by delivery from memory (issue #17); tells recentEnvelopes after. */
  private final RecentContent recentContent = new RecentContent(recentEnvelopes);
  /** What the listeners ring once a message is committed: the router then takes due mail (issue #17). */
  private final ArrivalBell arrivals = new ArrivalBell();
  // The delivery verticles' open connections per destination, which the cluster's slot leases count.
  private final NodeConnections nodeConnections = new NodeConnections();
  private RouterVerticle router;
  // The application verticles of "verticles": deployed once Hermod is ready, undeployed before it stops.
  private final AppVerticles apps;
  // MTA-STS and TLS-RPT (docs/security.md); NONE sources until started, and when off.
  private io.hermod.tlspolicy.wiring.StsAndRpt stsAndRpt;
  private OpsHttpVerticle http;
  private FileEventJournal journal; // null unless events.journal.enabled (docs/events.md)
  private FileCursorStore cursors;
  private String nodeId; // this node's stable id in the event feed (spool/node-id), set at start
  private final BounceClassifier bounces; // shared by the router (events) and the delivery verticles (log lines)
  // The egress sources whose address exists on this node (checked once at start; delivery.sources needs a restart).
  private Map<String, EgressSource> egressSources = Map.of();
  // DANE lookups (outboundTls.dane) for the router's TLS planner, built by startDane(); NONE when DANE is off.
  private DaneSource daneSource = DaneSource.NONE;

  private Hermod(Vertx vertx, HermodConfig config, Spool spool, PrometheusMeterRegistry registry,
                 ServerCertificate certificate, DkimKeyring dkim, BounceClassifier bounces,
                 SpoolLock spoolLock) {
    this.vertx = vertx;
    this.spoolLock = spoolLock;
    this.live = new LiveConfig(config);
    this.bounces = bounces;
    this.hotReload = new HotReload(vertx, live, certificate, dkim, bounces);
    this.schedule = new RetrySchedule(config.delivery(), new SecureRandom());
    this.registry = registry;
    this.metrics = new HermodMetrics(registry);
    this.config = config;
    this.spool = spool;
    this.resolver = new MxResolver(vertx, config.dns(), metrics);
    // PBKDF2 runs here, never on an event loop; the pool's size bounds the CPU that password checks can take.
    this.authWorkers = vertx.createSharedWorkerExecutor("hermod-auth", config.auth().workerThreadCount());
    UserStore users = new UserStore(config.auth().usersFile(config.spool()),
        Duration.ofSeconds(config.auth().reloadCheckSeconds()), System::nanoTime, new SecureRandom());
    LoginCache logins = new LoginCache(config.auth().cacheSize(),
        Duration.ofSeconds(config.auth().cacheTtlSeconds()).toNanos(), System::nanoTime, new SecureRandom());
    // The backlog flow control follows: due mail waiting for the router's active window, the queue index's
    // READY count (deferred, held and WAITING mail never slow intake), sampled every 10 ms.
    Backlog backlog = new SampledBacklog(() -> queueIndex.counts(java.time.Instant.now()).ready(), 10,
        System::nanoTime);
    this.flow = FlowGate.live(vertx, backlog, live, metrics);
    this.serverContext = ServerContext.create(live, spool, id -> arrivals.ring(),
        certificate, new UserStoreAuthenticator(authWorkers, users, logins), metrics, dkim,
        AuthThrottle.create(vertx, config.auth()), new SpfEvaluator(new DnsjavaSpfDns(vertx, resolver.dns())),
        new DnsjavaDkimDns(vertx, resolver.dns(), config.dns().timeoutMillis()), flow);
    this.readiness = new Readiness(spool, serverContext.drain());
    this.apps = new AppVerticles(vertx, config.verticles(), VerticleClasses.defaultLoader());
    metrics.spoolUsage(() -> spool.usage().messages(), () -> spool.usage().bytes());
    metrics.queueActive(() -> router == null ? 0 : router.activeMessages());
  }

  /**
   * Loads (or at first start generates) the TLS certificate, recovers the spool, then starts the listeners,
   * the delivery verticles and the router, and last the application verticles of "verticles". Fails if a port
   * cannot be bound or an application verticle does not start. Call it outside the event loop
   * when no dns.resolvers are configured (the resolver reads /etc/resolv.conf once).
   */
  public static Future<Hermod> start(Vertx vertx, HermodConfig config) {
    return start(vertx, config, registryOf(vertx));
  }

  /**
   * As {@link #start(Vertx, HermodConfig)} but on a spool the caller built (not yet recovered), e.g. a test
   * decorator around a {@link FileSpool} that injects disk faults. Hermod closes it in {@link #stop()}.
   */
  public static Future<Hermod> start(Vertx vertx, HermodConfig config, Spool spool) {
    return startOn(vertx, config, registryOf(vertx), () -> spool);
  }

  /**
   * The Prometheus registry Vert.x's own metrics go to when {@link Main} built Vert.x with them; otherwise
   * (tests, embedding) a fresh one for Hermod's meters alone.
   */
  private static PrometheusMeterRegistry registryOf(Vertx vertx) {
    return BackendRegistries.getDefaultNow() instanceof PrometheusMeterRegistry p && vertx.isMetricsEnabled()
        ? p : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /** As {@link #start(Vertx, HermodConfig)}, with Hermod's meters (and /metrics) on {@code registry}. */
  public static Future<Hermod> start(Vertx vertx, HermodConfig config, PrometheusMeterRegistry registry) {
    return startOn(vertx, config, registry, () -> new FileSpool(vertx, config.spool()));
  }

  private static Future<Hermod> startOn(Vertx vertx, HermodConfig config, PrometheusMeterRegistry registry,
                                       Supplier<Spool> spool) {
    // First of all the spool's lock: a second instance on the same spool stops here, before it binds a port
    // or writes a file (and a spool directory that cannot be made is reported as such, not as a TLS problem).
    return vertx.executeBlocking(() -> SpoolLock.acquire(Path.of(config.spool().directory())), false)
        .compose(lock -> {
          boolean tlsNeeded = config.listeners().stream().anyMatch(l -> l.tls() != ListenerConfig.Tls.NONE);
          Future<ServerCertificate> certificate = tlsNeeded
              ? vertx.executeBlocking(() -> ServerCertificate.resolve(vertx, config), false)
              : Future.succeededFuture(null);
          return certificate.compose(cert -> vertx.executeBlocking(() -> DkimKeyring.load(config.dkim()), false)
                  .compose(dkim -> vertx.executeBlocking(
                          () -> BounceClassifier.load(config.shaping().bounceRulesFile()), false)
                      .compose(bounces -> start(vertx, config, registry, cert, dkim, bounces, spool.get(), lock))))
              .onFailure(e -> lock.close());
        });
  }

  private static Future<Hermod> start(Vertx vertx, HermodConfig config, PrometheusMeterRegistry registry,
                                      ServerCertificate certificate, DkimKeyring dkim, BounceClassifier bounces,
                                      Spool spool, SpoolLock lock) {
    Hermod hermod = new Hermod(vertx, config, spool, registry, certificate, dkim, bounces, lock);
    // The HTTP server comes first, so that probes answer (not ready) during a long recovery.
    // The index follows the spool from the first recovered message on: nothing ever scans the spool after.
    spool.observe(hermod.recentContent); // and through it the router's envelopes and the queue index
    return hermod.deployHttp()
        .compose(v -> spool.recover())
        .onSuccess(queued -> LOG.info("spool " + config.spool().directory() + ": recovered " + queued
            + " queued message(s)"))
        .compose(queued -> hermod.openEvents())
        .compose(v -> hermod.checkEgressSources())
        .compose(v -> hermod.startDane())
        .compose(v -> hermod.deployListeners())
        .compose(v -> hermod.deploy(new SubmitVerticle(hermod.live::current, spool, Clock.systemUTC(),
            SubmitVerticle.DEFAULT_MAX_IN_FLIGHT, hermod.flow)))
        .compose(v -> hermod.startStsAndRpt())
        .compose(v -> hermod.deployDelivery())
        .compose(v -> hermod.deploy(new LocalDeliveryVerticle(config.local(), config.hostname())))
        .compose(v -> hermod.deployRouter())
        .compose(v -> hermod.startFeed())
        .compose(v -> hermod.deployWebhooks())
        .onSuccess(v -> hermod.readiness.recovered())
        .compose(v -> hermod.apps.deploy()) // after the router: hermod.submit answers and mail flows
        .onSuccess(v -> hermod.hotReload.checkFilesEvery(config.configReloadSeconds()))
        .map(hermod)
        // What started is stopped again, so that the spool and its lock are free for another try.
        .recover(e -> hermod.stopApps().eventually(hermod::undeployAll)
            .eventually(() -> hermod.stsAndRpt == null ? Future.succeededFuture() : hermod.stsAndRpt.stop())
            .eventually(spool::close).eventually(hermod::closeEvents).eventually(() -> {
          hermod.authWorkers.close();
          hermod.resolver.close();
          return Future.succeededFuture();
        }).transform(x -> Future.failedFuture(e)));
  }

  /**
   * Each listener as {@code instances} verticles on the same address (Vert.x shares the port and spreads the
   * connections over their event loops); {@link #port} reports the first instance's bound port.
   */
  private Future<Void> deployListeners() {
    Future<Void> chain = Future.succeededFuture();
    for (ListenerConfig lc : config.listeners()) {
      chain = chain.compose(v -> {
        List<ListenerVerticle> instances = new ArrayList<>();
        return vertx.deployVerticle(() -> {
          ListenerVerticle verticle = new ListenerVerticle(lc, serverContext);
          synchronized (instances) {
            instances.add(verticle);
          }
          return verticle;
        }, new DeploymentOptions().setInstances(lc.instances())).map(id -> {
          deployments.add(id);
          listeners.add(instances.get(0));
          LOG.info("listening for " + lc.role().name().toLowerCase() + " on " + lc.host() + ":"
              + instances.get(0).actualPort() + " (" + lc.name() + ", " + lc.instances() + " instance"
              + (lc.instances() == 1 ? "" : "s") + ")");
          return null;
        });
      });
    }
    return chain;
  }

  /** DANE's source (docs/security.md "DANE"); reads the trust anchors off the event loop, a bad file stops the start. */
  private Future<Void> startDane() {
    return vertx.executeBlocking(() -> DaneSources.create(vertx, config.outboundTls().dane(),
        resolver.dns(), metrics), false).onSuccess(source -> daneSource = source).mapEmpty();
  }

  /** Which delivery.sources this node can bind; one WARNING per other one (SourceAddresses). */
  private Future<Void> checkEgressSources() {
    return vertx.executeBlocking(() -> SourceAddresses.usable(config.delivery().egress().sources()), false)
        .onSuccess(usable -> egressSources = usable).mapEmpty();
  }

  /**
   * The delivery role (Postfix's smtp): {@code delivery.instances} verticles sharing the job address. The
   * router enforces the per-destination and global caps; each instance gets its share of the global cap.
   */
  private Future<Void> deployDelivery() {
    DeliveryConfig dc = config.delivery();
    int instances = dc.instances();
    DeliverySettings defaults = DeliverySettings.defaults(config.hostname());
    DeliverySettings settings = defaults
        .withClient(defaults.client().withTimeouts(StageTimeouts.configured(dc.connectTimeoutSeconds(),
            dc.commandTimeoutSeconds(), dc.dataTimeoutSeconds())))
        .withLimits(Math.max(1, dc.maxConnections() / instances), dc.maxConnectionsPerDestination(),
            dc.maxMessagesPerConnection(), DeliverySettings.defaults(config.hostname()).idleTimeoutMs())
        .withMaxConnectionsPerHost(dc.maxConnectionsPerHost())
        .withSources(egressSources);
    return outboundTls().compose(tls -> deploy(
        () -> new DeliveryVerticle(settings.withClient(settings.client().withTls(tls)), metrics, nodeConnections,
            bounces).sendingFrom(recentContent), instances));
  }

  /**
   * The delivery client's TLS (docs/security.md "Outbound TLS"): versions, ciphers, the peer check (PKIX against
   * outboundTls.caFile or the JDK's trust store, read here off the event loop; DANE) and the TLS-RPT sink.
   */
  private Future<OutboundTls> outboundTls() {
    OutboundTlsConfig c = config.outboundTls();
    return vertx.executeBlocking(() -> c.caFile() == null ? PkixCheck.jdkAnchors()
            : PkixCheck.pemAnchors(Path.of(c.caFile())), false)
        .map(anchors -> new OutboundTls(c.protocols(), c.ciphers(),
            new PolicyPeerCheck(new PkixCheck(anchors, Clock.systemUTC()),
                new DanePeerCheck(Clock.systemUTC())),
            tlsReportSink()));
  }

  /** Each MX host's TLS policy for the router: the configured levels, MTA-STS and DANE (docs/security.md). */
  private TlsPolicyPlanner tlsPlanner() {
    OutboundTlsConfig c = config.outboundTls();
    return new TlsPolicyPlanner(c.level(), c.policies(), mtaStsSource(), daneSource);
  }

  /** Metrics, health probes and the queue admin API (docs/operations.md), when http.enabled. */
  private Future<Void> deployHttp() {
    if (!config.http().enabled()) {
      return Future.succeededFuture();
    }
    QueueAdmin admin = new QueueAdmin(spool, queueIndex, Clock.systemUTC(), id -> router != null && router.isActive(id),
        id -> vertx.eventBus().send(Addresses.ROUTER_TRIGGER, new JsonObject().put("id", id), Addresses.nodeLocal()),
        id -> vertx.eventBus().<JsonObject>request(Addresses.ROUTER_BOUNCE, new JsonObject().put("id", id),
            Addresses.nodeLocal()).map(reply -> Envelope.fromJson(reply.body())));
    BulkJobs jobs = new BulkJobs(Path.of(config.spool().directory()).resolve("bulk"), admin, Clock.systemUTC());
    http = new OpsHttpVerticle(config.http(), registry, readiness, admin, jobs, metrics);
    return deploy(http);
  }

  /**
   * MTA-STS and TLS-RPT (outboundTls.mtaSts, outboundTls.tlsRpt): before the delivery verticles (which report TLS
   * outcomes) and the router (which asks for policies).
   */
  private Future<Void> startStsAndRpt() {
    return io.hermod.tlspolicy.wiring.StsAndRpt.start(vertx, config, resolver.dns(), metrics)
        .onSuccess(s -> stsAndRpt = s).mapEmpty();
  }

  /** The MTA-STS policies of recipient domains (MtaStsSource.NONE when outboundTls.mtaSts.enabled is false). */
  public io.hermod.tlspolicy.MtaStsSource mtaStsSource() {
    return stsAndRpt == null ? io.hermod.tlspolicy.MtaStsSource.NONE : stsAndRpt.mtaSts();
  }

  /** Where TLS outcomes are counted for TLS-RPT (TlsReportSink.NONE when outboundTls.tlsRpt.enabled is false). */
  public io.hermod.tlspolicy.TlsReportSink tlsReportSink() {
    return stsAndRpt == null ? io.hermod.tlspolicy.TlsReportSink.NONE : stsAndRpt.reports();
  }

  /** The router (qmgr): after the listeners, so that it knows their actual ports for loop detection. */
  private Future<Void> deployRouter() {
    List<InetSocketAddress> endpoints = new ArrayList<>();
    for (int i = 0; i < listeners.size(); i++) {
      LoopDetector.listenerEndpoint(config.listeners().get(i).host(), port(i)).ifPresent(endpoints::add);
    }
    router = new RouterVerticle(live, spool, resolver, schedule, new DsnBuilder(DsnIdentifiers.random(new SecureRandom())),
        Clock.systemUTC(), endpoints, metrics, destinationLimits(), rateLimits(), egressSources.keySet())
        .classifyingWith(bounces).indexedBy(queueIndex).handedOverBy(recentEnvelopes).ringingOn(arrivals).journalingTo(journal)
        .planningTlsWith(tlsPlanner());
    return deploy(router);
  }

  /**
   * The event journal and its cursors in {@code <spool.directory>/events/} (docs/events.md), after the spool's
   * recovery and before the router, which appends every outcome to it.
   */
  private Future<Void> openEvents() {
    io.hermod.config.EventJournalConfig jc = config.events().journal();
    if (!jc.enabled()) {
      return Future.succeededFuture();
    }
    Path dir = Path.of(config.spool().directory()).resolve("events");
    return FileEventJournal.open(vertx, dir, jc.limits(), Clock.systemUTC(), metrics)
        .compose(j -> {
          journal = j;
          return FileCursorStore.open(vertx, dir.resolve("cursors.json"), jc.maxCursors(), metrics, j::lastSeq);
        })
        .map(c -> {
          cursors = c;
          return null;
        });
  }

  /**
   * The webhook senders (docs/events.md "Webhooks"), reading the journal from their cursors; after the feed, which
   * knows the node id that POST bodies carry; undeployed with the other verticles, before the journal closes. The
   * config refuses webhooks without the journal.
   */
  private Future<Void> deployWebhooks() {
    if (config.webhooks().isEmpty()) {
      return Future.succeededFuture();
    }
    return io.hermod.webhook.Webhooks.deploy(vertx, config.webhooks(), nodeId, config.hostname(), journal,
        cursors, metrics, System.getenv()).map(id -> deployments.add(id)).mapEmpty();
  }

  /** After the spool closed (no outcome can be recorded any more): everything appended is written first. */
  private Future<Void> closeEvents() {
    Future<Void> c = cursors == null ? Future.succeededFuture() : cursors.close();
    return c.eventually(() -> journal == null ? Future.succeededFuture() : journal.close());
  }

  /** On a clustered Vert.x the per-destination cap is leased from the cluster (docs/cluster.md). */
  private DestinationLimits destinationLimits() {
    int cap = config.delivery().maxConnectionsPerDestination();
    int leaseSeconds = config.cluster().slotLeaseSeconds();
    return vertx.isClustered() && leaseSeconds > 0
        ? new ClusterSlotLeases(vertx, cap, Duration.ofSeconds(leaseSeconds), nodeConnections)
        : DestinationLimits.perNode(cap);
  }

  /** Likewise the per-destination rate (in jobs per minute, the unit of the router's rate limits). */
  private DestinationLimits rateLimits() {
    int rate = config.delivery().ratePerDestination();
    int leaseSeconds = config.cluster().slotLeaseSeconds();
    return vertx.isClustered() && leaseSeconds > 0 && rate > 0
        ? ClusterSlotLeases.jobRate(vertx, rate, Duration.ofSeconds(leaseSeconds))
        : DestinationLimits.perNodeRate(rate);
  }

  private Future<Void> deploy(io.vertx.core.Deployable verticle) {
    return deploy(() -> verticle, 1);
  }

  private Future<Void> deploy(java.util.function.Supplier<? extends io.vertx.core.Deployable> verticles, int instances) {
    return vertx.deployVerticle(verticles, new DeploymentOptions().setInstances(instances))
        .map(id -> deployments.add(id)).mapEmpty();
  }

  /**
   * The node's stable id (created at first start in the spool directory), then the durable event feed over the
   * bus (docs/events.md "Subscribing over the event bus") when the journal and the feed are on: last, so that a
   * subscriber finds the node only once it delivers.
   */
  private Future<Void> startFeed() {
    return vertx.executeBlocking(() -> NodeId.loadOrCreate(Path.of(config.spool().directory()), new SecureRandom()),
        false).compose(id -> {
          nodeId = id;
          EventsConfig events = config.events();
          if (!events.journal().enabled() || !events.feed().enabled()) {
            return Future.succeededFuture();
          }
          LOG.info("event feed: node " + id + " serves " + Addresses.feedNode(id));
          return deploy(new FeedVerticle(id, journal, cursors, events.feed()));
        });
  }

  /** This node's id in the event feed (docs/events.md); null before start completes. */
  public String nodeId() {
    return nodeId;
  }

  /** The port a listener is bound to, by its index in the configuration. */
  public int port(int listenerIndex) {
    return listeners.get(listenerIndex).actualPort();
  }

  /** The operations HTTP server's bound port; -1 when http.enabled is false. */
  public int httpPort() {
    return http == null ? -1 : http.actualPort();
  }

  /** The router verticle (e.g. to read its active window size); null before start completes. */
  /** The in-memory view of this node's queue (docs/queue.md). */
  public QueueIndex queueIndex() {
    return queueIndex;
  }

  /** This node's event journal (docs/events.md); null when events.journal.enabled is false. */
  public EventJournal eventJournal() {
    return journal;
  }

  /** The durable cursors over {@link #eventJournal()}; null when events.journal.enabled is false. */
  public CursorStore cursors() {
    return cursors;
  }

  public RouterVerticle router() {
    return router;
  }

  public Spool spool() {
    return spool;
  }

  /** The configuration in force (after any hot reload). */
  public HermodConfig config() {
    return live.current();
  }

  /**
   * Applies a new valid configuration without a restart (docs/operations.md, "Hot reload"): what can change
   * live applies to new sessions, routing decisions and submissions; the rest keeps its running value and
   * is logged as needing a restart.
   */
  public Future<ReloadPlan> reload(HermodConfig next) {
    return hotReload.apply(next);
  }

  /** Watches the configuration file Hermod was started from and {@link #reload}s it when it changes. */
  public void watch(String path, Map<String, String> flags) {
    hotReload.watch(path, flags, config.configReloadSeconds());
  }

  /** Hermod's meters (and Vert.x's, when Main enabled them) as Prometheus scrapes them. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * Graceful stop (SIGTERM): new sessions and transactions get 421 4.3.2, transactions in flight may
   * finish within {@code shutdownGraceSeconds}, then the verticles stop and the spool closes.
   */
  public Future<Void> stop() {
    hotReload.stop();
    return stopApps().compose(v -> drainAndClose());
  }

  /**
   * The application verticles stop first, while everything of Hermod's still runs (their stop() may submit, over
   * the bus or SMTP), for at most shutdownGraceSeconds; the drain's own grace comes after.
   */
  private Future<Void> stopApps() {
    return apps.undeploy(Duration.ofSeconds(live.current().shutdownGraceSeconds()));
  }

  private Future<Void> drainAndClose() {
    serverContext.drain().start();
    int grace = live.current().shutdownGraceSeconds();
    LOG.info("draining: new sessions and transactions get 421 4.3.2; " + serverContext.limiter().open()
        + " session(s) open, transactions in flight have up to " + grace + " s to finish");
    Promise<Void> graceOver = Promise.promise();
    long deadline = System.nanoTime() + grace * 1_000_000_000L;
    vertx.setPeriodic(100, id -> {
      int open = serverContext.limiter().open();
      if (open == 0 || System.nanoTime() > deadline) {
        vertx.cancelTimer(id);
        if (open > 0) {
          LOG.warning("draining: shutdownGraceSeconds (" + grace + " s) is over; closing " + open
              + " session(s) still open (their transactions in flight were not acknowledged)");
        }
        graceOver.tryComplete();
      }
    });
    return graceOver.future()
        .compose(v -> undeployAll())
        .compose(v -> stsAndRpt == null ? Future.succeededFuture() : stsAndRpt.stop())
        .compose(v -> spool.close())
        .eventually(this::closeEvents)
        .onComplete(x -> resolver.close())
        .eventually(() -> authWorkers.close())
        .onComplete(x -> spoolLock.close());
  }

  private Future<Void> undeployAll() {
    List<Future<Void>> all = new ArrayList<>();
    for (String id : deployments) {
      all.add(vertx.undeploy(id));
    }
    deployments.clear();
    return Future.join(all).mapEmpty();
  }
}
