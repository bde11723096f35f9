package io.hermod.local;

import io.hermod.api.Addresses;
import io.hermod.config.LocalConfig;
import io.hermod.config.LocalTransport;
import io.hermod.delivery.DeliveryReport;
import io.hermod.delivery.DsnAction;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

import java.util.logging.Logger;

/**
 * The local delivery role (Postfix's local, lmtp and pipe in one): consumes {@link LocalJob}s on
 * {@link Addresses#LOCAL_JOB} and replies a {@link DeliveryReport}, which the router records like any other
 * (same durability order, events, DSNs and retries). Maildir file work runs on its own worker executor,
 * never on the event loop. See docs/local-delivery.md.
 */
public final class LocalDeliveryVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(LocalDeliveryVerticle.class.getName());

  private final LocalConfig config;
  private final String hostname;

  private WorkerExecutor workers;
  private NetClient lmtpClient;
  private MaildirDeliverer maildir;
  private LmtpDeliverer lmtp;
  private BusDeliverer bus;
  private MessageConsumer<JsonObject> jobs;

  /** @param hostname our name: LHLO argument, and the host part of Maildir file names */
  public LocalDeliveryVerticle(LocalConfig config, String hostname) {
    this.config = config;
    this.hostname = hostname;
  }

  @Override
  public Future<?> start() {
    long timeoutMs = config.timeoutSeconds() * 1000L;
    workers = vertx.createSharedWorkerExecutor("hermod-local", config.workerThreads());
    lmtpClient = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) Math.min(timeoutMs, 60_000)));
    maildir = new MaildirDeliverer(workers, hostname);
    lmtp = new LmtpDeliverer(vertx, lmtpClient, hostname, timeoutMs);
    bus = new BusDeliverer(vertx, timeoutMs, config.inlineMaxBytes());
    jobs = vertx.eventBus().localConsumer(Addresses.LOCAL_JOB, this::onJob); // node-local: jobs name our spool files
    return jobs.completion();
  }

  @Override
  public Future<?> stop() {
    return jobs.unregister().eventually(() -> lmtpClient.close()).eventually(() -> workers.close());
  }

  private void onJob(Message<JsonObject> message) {
    LocalJob job;
    try {
      job = LocalJob.fromJson(message.body());
    } catch (RuntimeException e) {
      message.fail(400, "bad local job: " + e.getMessage());
      return;
    }
    deliverer(job.transport()).deliver(job).onComplete(done -> {
      if (done.succeeded()) {
        // Final delivery (Maildir, LMTP, an application): a NOTIFY=SUCCESS recipient is owed "delivered".
        message.reply(done.result().withSuccess(DsnAction.DELIVERED).toJson());
      } else {
        // Not attempted as far as the router knows: it will send the job again.
        LOG.warning("queue id " + job.queueId() + ": local delivery failed: " + done.cause());
        message.fail(500, String.valueOf(done.cause().getMessage()));
      }
    });
  }

  private LocalDeliverer deliverer(LocalTransport transport) {
    // Java 17: no pattern matching for switch yet.
    if (transport instanceof LocalTransport.Maildir) {
      return maildir;
    }
    if (transport instanceof LocalTransport.Lmtp) {
      return lmtp;
    }
    if (transport instanceof LocalTransport.Bus) {
      return bus;
    }
    return job -> Future.failedFuture("transport \"none\" delivers nothing");
  }
}
