package io.hermod.delivery;

import io.hermod.api.Addresses;
import io.hermod.testing.LogCapture;
import io.hermod.testing.ScriptedSmtpPeer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Deploys a {@link DeliveryVerticle}, writes spool-like content files, sends jobs over the event bus. */
final class DeliveryFixture {

  /** Bytes before and after the message in the content file: the job's byte range must be honoured. */
  static final String PREFIX = "{\"envelope\":\"not part of the message\"}\n";
  static final String SUFFIX = "trailer that must not be sent";

  private final Vertx vertx;
  private final Path dir;
  private final List<String> deployments = new ArrayList<>();
  private final LogCapture log = new LogCapture("io.hermod.delivery");
  private int files;

  DeliveryFixture(Vertx vertx, Path dir) {
    this.vertx = vertx;
    this.dir = dir;
  }

  static DeliverySettings options(long timeoutMs) {
    ClientOptions client = ClientOptions.defaults("client.test").withTlsPolicy(io.hermod.tlspolicy.TlsLevel.NONE)
        .withTimeouts(StageTimeouts.uniform(timeoutMs));
    return new DeliverySettings("hermod.test", client, 50, 5, 100, 10_000, 0);
  }

  void deploy(DeliverySettings options) throws Exception {
    deployments.add(await(vertx.deployVerticle(new DeliveryVerticle(options))));
  }

  void deploy(DeliveryVerticle verticle) throws Exception {
    deployments.add(await(vertx.deployVerticle(verticle)));
  }

  /** A verticle that counts its connections in {@code node} (and obeys its limits). */
  void deploy(DeliverySettings options, NodeConnections node) throws Exception {
    deployments.add(await(vertx.deployVerticle(new DeliveryVerticle(options, io.hermod.metrics.HermodMetrics.noop(),
        node))));
  }

  void undeployAll() throws Exception {
    for (String id : deployments) {
      await(vertx.undeploy(id));
    }
    deployments.clear();
  }

  void close() throws Exception {
    undeployAll();
    log.close();
  }

  List<String> logLines() {
    return log.messages();
  }

  /** A content file holding {@code message} between a prefix and a suffix; the job points at the message. */
  Content content(Buffer message) throws IOException {
    Path file = dir.resolve("msg" + (files++));
    Buffer all = Buffer.buffer(PREFIX).appendBuffer(message).appendString(SUFFIX);
    Files.write(file, all.getBytes());
    return new Content(file, PREFIX.length(), message.length());
  }

  record Content(Path file, long offset, long length) {
  }

  static DeliveryJob.Host host(String name, ScriptedSmtpPeer peer) {
    return new DeliveryJob.Host(name, "127.0.0.1", peer.port());
  }

  static DeliveryJob.Host host(String name, int port) {
    return new DeliveryJob.Host(name, "127.0.0.1", port);
  }

  static DeliveryJob job(String queueId, String destination, List<DeliveryJob.Host> hosts, Content c,
                         String... rcpts) {
    return job(queueId, destination, hosts, c, false, rcpts);
  }

  static DeliveryJob job(String queueId, String destination, List<DeliveryJob.Host> hosts, Content c,
                         boolean smtpUtf8, String... rcpts) {
    List<DeliveryJob.Rcpt> list = Arrays.stream(rcpts).map(r -> new DeliveryJob.Rcpt(r, "")).toList();
    return new DeliveryJob(queueId, destination, hosts, "sender@origin.test", list, "", smtpUtf8,
        c.file().toString(), c.offset(), c.length());
  }

  /** Sends the job as a real event-bus request; the reply decoded. */
  Future<DeliveryReport> request(DeliveryJob job) {
    io.vertx.core.eventbus.DeliveryOptions bus = new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(20_000);
    return vertx.eventBus().<JsonObject>request(Addresses.DELIVERY_JOB, job.toJson(), bus)
        .map(m -> DeliveryReport.fromJson(m.body()));
  }

  /** Sends the DeliveryJob object itself, as the router does; the reply body as it came (a report, not JSON). */
  Future<Object> requestHandedOver(DeliveryJob job) {
    io.vertx.core.eventbus.DeliveryOptions bus = Addresses.nodeLocal().setSendTimeout(20_000);
    return vertx.eventBus().request(Addresses.DELIVERY_JOB, job, bus).map(io.vertx.core.eventbus.Message::body);
  }

  DeliveryReport deliver(DeliveryJob job) throws Exception {
    return await(request(job));
  }

  static boolean isBusy(Throwable t) {
    return t instanceof ReplyException && ((ReplyException) t).failureCode() == DeliveryAttempt.BUSY;
  }

  static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(25, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
  }

  /** Polls {@code condition} every 20 ms until it holds; fails after 10 s. */
  static void eventually(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never happened: " + what);
      }
      Thread.sleep(20);
    }
  }
}
