package io.hermod.delivery;

import io.hermod.api.Addresses;
import io.hermod.api.HandOverJson;
import io.hermod.api.HandOverObject;
import io.hermod.shaping.BounceClassifier;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.hermod.egress.EgressSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.IntStream;

/**
 * The delivery role (Postfix's smtp(8)): takes {@link DeliveryJob}s on {@link Addresses#DELIVERY_JOB} (and
 * several at once, a {@link DeliveryBatch}, on {@link Addresses#DELIVERY_BATCH}), delivers
 * each over SMTP with pooled, capped connections and host failover, and replies with a {@link DeliveryReport}.
 * A job it cannot start because a connection cap is reached is refused at once (failure code 429, "busy")
 * instead of being queued: the router retries it soon. Each instance has its own pool and caps.
 */
public final class DeliveryVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger("io.hermod.delivery");
  /** Reports go back to the router on this node, their JSON handed over (HandOverJson). */
  private static final DeliveryOptions REPLY = HandOverJson.handOver(new DeliveryOptions());

  private final DeliverySettings options;
  private final NodeConnections nodeConnections;
  private NetClient netClient;
  private final List<NetClient> sourceClients = new ArrayList<>();
  private ConnectionPool pool;
  private DeliveryAttempt attempt;
  private MessageConsumer<Object> consumer;
  private MessageConsumer<Object> batchConsumer;

  private final io.hermod.metrics.HermodMetrics metrics;
  private final BounceClassifier bounces;
  private io.hermod.spool.RecentContent recent; // null: every message is read from the spool
  /** Set by stop(): jobs are refused, and one the stop cut short (only deferrals) is reported as not attempted. */
  private volatile boolean stopping;

  public DeliveryVerticle(DeliverySettings options) {
    this(options, io.hermod.metrics.HermodMetrics.noop());
  }

  public DeliveryVerticle(DeliverySettings options, io.hermod.metrics.HermodMetrics metrics) {
    this(options, metrics, new NodeConnections());
  }

  /** @param nodeConnections shared by all delivery verticles of this node (and the cluster's slot leases) */
  public DeliveryVerticle(DeliverySettings options, io.hermod.metrics.HermodMetrics metrics,
                          NodeConnections nodeConnections) {
    this(options, metrics, nodeConnections, BounceClassifier.shipped());
  }

  /** @param bounces the bounce classification of the log lines (shared with the router's events) */
  public DeliveryVerticle(DeliverySettings options, io.hermod.metrics.HermodMetrics metrics,
                          NodeConnections nodeConnections, BounceClassifier bounces) {
    ClientOptions client = options.client();
    OutboundTls.Counter given = client.tls().counter();
    this.options = options.withClient(client.withTls(client.tls().withCounter((source, result) -> {
      metrics.deliveryTls(source.label(), result);
      given.count(source, result);
    })));
    this.metrics = metrics;
    this.nodeConnections = nodeConnections;
    this.bounces = bounces;
  }

  /**
   * Sends the messages the spool has just stored from memory (the spool's observer, issue #17) instead of reading
   * them back; call before deploying. Unset: every message is read from the spool.
   */
  public DeliveryVerticle sendingFrom(io.hermod.spool.RecentContent recent) {
    this.recent = recent;
    return this;
  }

  @Override
  public Future<?> start() {
    netClient = vertx.createNetClient();
    pool = new ConnectionPool(vertx, options, nodeConnections);
    attempt = new DeliveryAttempt(pool, new HostFailover(vertx, netClient, options.client()), sourceFailovers(),
        new DeliveryLog(LOG, bounces)).sendingFrom(recent);
    HandOverJson.register(vertx.eventBus());
    HandOverObject.registerDefault(vertx.eventBus(), DeliveryJob.class);
    HandOverObject.registerDefault(vertx.eventBus(), DeliveryReport.class);
    HandOverObject.registerDefault(vertx.eventBus(), DeliveryBatch.class);
    HandOverObject.registerDefault(vertx.eventBus(), DeliveryBatch.Reports.class);
    // node-local: jobs name spool files
    consumer = vertx.eventBus().localConsumer(Addresses.DELIVERY_JOB, this::onJob);
    batchConsumer = vertx.eventBus().localConsumer(Addresses.DELIVERY_BATCH, this::onBatch);
    return Future.all(consumer.completion(), batchConsumer.completion());
  }

  /**
   * One client per egress source, bound to its address (NetClientOptions.localAddress; the kernel picks the
   * port), saying its EHLO name: docs/delivery.md "Sources and pools".
   */
  private Map<String, HostFailover> sourceFailovers() {
    Map<String, HostFailover> bySource = new HashMap<>();
    for (EgressSource source : options.sources().values()) {
      NetClient client = vertx.createNetClient(new NetClientOptions().setLocalAddress(source.address()));
      sourceClients.add(client);
      bySource.put(source.name(), new HostFailover(vertx, client, options.clientFor(source)));
    }
    return bySource;
  }

  /**
   * A job from the router is a {@link DeliveryJob} handed over, answered with the {@link DeliveryReport} itself;
   * a job sent as JSON (docs/eventbus.md) is answered with JSON.
   */
  private void onJob(Message<Object> message) {
    boolean json = !(message.body() instanceof DeliveryJob);
    DeliveryJob job;
    try {
      job = json ? DeliveryJob.fromJson((JsonObject) message.body()) : (DeliveryJob) message.body();
    } catch (RuntimeException e) {
      message.fail(DeliveryAttempt.MALFORMED, "malformed delivery job: " + e.getMessage());
      return;
    }
    run(job).onComplete(ar -> {
      if (ar.failed()) {
        fail(message, ar.cause());
      } else if (json) {
        message.reply(ar.result().toJson(), REPLY); // built for this reply only: handed over, not copied
      } else {
        message.reply(ar.result());
      }
    });
  }

  /**
   * A {@link DeliveryBatch}: its jobs one after another, each report to the batch's progress as it comes, one
   * reply with them all (DeliveryBatch.inTurn).
   */
  private void onBatch(Message<Object> message) {
    if (!(message.body() instanceof DeliveryBatch batch)) {
      message.fail(DeliveryAttempt.MALFORMED, "malformed delivery batch: not a DeliveryBatch");
      return;
    }
    List<DeliveryJob> jobs = batch.jobs();
    // Each job is run knowing the one after it, whose envelope may ride on its end of data (DeliveryAttempt).
    List<Integer> turns = IntStream.range(0, jobs.size()).boxed().toList();
    DeliveryBatch.inTurn(turns, i -> run(jobs.get(i), i + 1 < jobs.size() ? jobs.get(i + 1) : null),
        batch.progress()).onComplete(ar -> {
      attempt.forget(jobs);
      if (ar.failed()) {
        fail(message, ar.cause());
      } else {
        message.reply(new DeliveryBatch.Reports(ar.result()));
      }
    });
  }

  /**
   * One job's report; fails with a {@link ReplyException} when the job was not attempted (busy, malformed, or
   * stopping), with another exception when delivery failed unexpectedly.
   */
  private Future<DeliveryReport> run(DeliveryJob job) {
    return run(job, null);
  }

  /** As {@link #run(DeliveryJob)}; {@code next}: the job after it in its batch, or null. */
  private Future<DeliveryReport> run(DeliveryJob job, DeliveryJob next) {
    if (stopping) {
      return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, DeliveryAttempt.BUSY,
          "delivery is stopping: not attempted"));
    }
    long started = System.nanoTime(); // metrics
    return attempt.run(job, next).transform(ar -> {
      metrics.deliveryDuration(System.nanoTime() - started); // metrics
      if (ar.succeeded() && stopping && onlyDeferrals(ar.result())) {
        // Our own stop closed the client or the session (before a host answered, or in the middle of the
        // transaction): no attempt of the message's is counted and it waits for no retry; the router sends it
        // again, here or after a restart, as Postfix does with mail whose delivery agent its stop ended.
        return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, DeliveryAttempt.BUSY,
            "delivery stopped before the attempt ended: not attempted"));
      }
      if (ar.failed() && !(ar.cause() instanceof ReplyException)) {
        LOG.log(Level.WARNING, job.queueId() + ": delivery failed unexpectedly", ar.cause());
      }
      return ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.failedFuture(ar.cause());
    });
  }

  private static void fail(Message<Object> message, Throwable cause) {
    if (cause instanceof ReplyException e) {
      message.fail(e.failureCode(), e.getMessage());
    } else {
      message.fail(500, String.valueOf(cause.getMessage()));
    }
  }

  /**
   * Every recipient deferred: nothing final to record. During a stop that is what a cut connection looks like; a
   * host's own 4xx in that instant only means one more attempt after the restart.
   */
  private static boolean onlyDeferrals(DeliveryReport report) {
    return !report.results().isEmpty()
        && report.results().stream().allMatch(r -> r.outcome() == DeliveryReport.Outcome.DEFERRED);
  }

  private static Future<Void> unregister(MessageConsumer<Object> consumer) {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    Future<Void> unregistered = Future.all(unregister(consumer), unregister(batchConsumer)).mapEmpty();
    return unregistered
        .eventually(() -> pool == null ? Future.succeededFuture() : pool.closeAll())
        .eventually(() -> netClient == null ? Future.succeededFuture() : netClient.close())
        .eventually(() -> Future.join(sourceClients.stream().map(NetClient::close).toList()));
  }
}
