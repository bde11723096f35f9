package io.hermod.routing;

import io.hermod.api.Addresses;
import io.hermod.config.ConfigLoader;
import io.hermod.config.DnsConfig;
import io.hermod.config.HermodConfig;
import io.hermod.delivery.DsnBuilder;
import io.hermod.delivery.DsnIdentifiers;
import io.hermod.delivery.RetrySchedule;
import io.hermod.smtp.BodyType;
import io.hermod.smtp.DsnRet;
import io.hermod.spool.Envelope;
import io.hermod.spool.FileSpool;
import io.hermod.spool.MessageWriter;
import io.hermod.spool.Recipient;
import io.hermod.spool.Spool;
import io.hermod.testing.TestDnsServer;
import io.hermod.testing.TestHermod;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A router under test: a real FileSpool in a temporary folder, a real DNS server on 127.0.0.1, a fake
 * delivery consumer, and the events collected. Spool calls run on one Vert.x context of the test.
 */
final class RouterFixture implements AutoCloseable {

  static final byte[] MESSAGE = ("Received: from client.test by mx.hermod.test\r\n"
      + "From: <sender@local.test>\r\nSubject: hello\r\n\r\nbody line\r\n").getBytes(StandardCharsets.US_ASCII);

  final Vertx vertx;
  final Path dir;
  final TestDnsServer dns;
  final FakeDelivery delivery = new FakeDelivery();
  final List<JsonObject> events = new CopyOnWriteArrayList<>();
  final Context context;
  HermodConfig config;
  Spool spool;
  /** Follows the spool as Hermod's does (observer from before recovery); the router is given it. */
  final io.hermod.queue.QueueIndex index = new io.hermod.queue.QueueIndex();
  /** In front of the index in the spool's observer slot, as Hermod's: the router takes new envelopes from it. */
  final RecentEnvelopes recent = new RecentEnvelopes(index);
  /** False: the router is not given {@link #recent} and loads every envelope from the spool (set before openSpool). */
  boolean handOff = true;
  MxResolver resolver;
  RouterVerticle router;
  /** The router's TLS policy planner (its MTA-STS and DANE sources); null = the configured levels only. */
  io.hermod.tlspolicy.TlsPolicyPlanner tlsPlanner;
  private String deployment;

  RouterFixture(Vertx vertx, Path dir) throws Exception {
    this.vertx = vertx;
    this.dir = dir;
    this.context = vertx.getOrCreateContext();
    this.dns = await(TestDnsServer.start(vertx));
  }

  /** Test defaults: tiny retries, 1 s scans, delivery port 2525; {@code overrides} merge over them. */
  RouterFixture configure(JsonObject overrides) {
    JsonObject json = TestHermod.baseConfig(dir.resolve("spool"))
        .put("dns", new JsonObject().put("resolvers", new JsonArray().add("127.0.0.1:" + dns.address().getPort()))
            .put("timeoutMillis", 500))
        .put("routing", new JsonObject().put("deliveryPort", 2525))
        .put("delivery", new JsonObject().put("retryInitialSeconds", 1).put("retryMaxSeconds", 1)
            .put("delayWarningSeconds", 0).put("scanIntervalSeconds", 1).put("requeueDelayMillis", 100));
    config = ConfigLoader.fromJson(json.mergeIn(overrides, true));
    return this;
  }

  /** Opens the spool (recovery) without starting the router. */
  RouterFixture openSpool() throws Exception {
    if (config == null) {
      configure(new JsonObject());
    }
    spool = new FileSpool(vertx, config.spool());
    spool.observe(handOff ? recent : index);
    onContext(() -> spool.recover());
    return this;
  }

  /** Starts the fake delivery, the event collector and the router (our listener: 127.0.0.1:2525). */
  RouterFixture start() throws Exception {
    return start(List.of(new InetSocketAddress("127.0.0.1", 2525)));
  }

  RouterFixture start(List<InetSocketAddress> ownEndpoints) throws Exception {
    if (spool == null) {
      openSpool();
    }
    await(delivery.start(vertx));
    await(vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> events.add(m.body())).completion());
    resolver = new MxResolver(vertx, new DnsConfig(List.of(dns.address()), 2000, 1000));
    router = new RouterVerticle(config, spool, resolver, new RetrySchedule(config.delivery(), new Random(1)),
        new DsnBuilder(DsnIdentifiers.random(new Random(2))), Clock.systemUTC(), ownEndpoints).indexedBy(index);
    if (handOff) {
      router.handedOverBy(recent);
    }
    if (tlsPlanner != null) {
      router.planningTlsWith(tlsPlanner);
    }
    deployment = await(vertx.deployVerticle(router));
    return this;
  }

  Envelope envelope(String sender, String... recipients) {
    return envelope(sender, Instant.now(), recipients);
  }

  Envelope envelope(String sender, Instant arrival, String... recipients) {
    return envelope(sender, DsnRet.HDRS, arrival, recipients);
  }

  Envelope envelope(String sender, DsnRet ret, Instant arrival, String... recipients) {
    List<Recipient> rcpts = new ArrayList<>();
    for (String r : recipients) {
      rcpts.add(Recipient.pending(r, null, Set.of()));
    }
    return new Envelope(spool.newId(), sender, rcpts, null, ret, BodyType.SEVEN_BIT, false, "127.0.0.1",
        "client.test", null, "mx", arrival, 0, arrival, false, false);
  }

  /** Spools a message (no trigger). */
  String spoolMessage(Envelope env) throws Exception {
    return spoolMessage(env, MESSAGE);
  }

  String spoolMessage(Envelope env, byte[] message) throws Exception {
    return onContext(() -> {
      MessageWriter writer = spool.begin(env);
      return writer.write(Buffer.buffer(message)).compose(v -> writer.commit(env)).map(Envelope::id);
    });
  }

  /** Spools a message and triggers the router, as the listener does. */
  String submit(Envelope env) throws Exception {
    return submit(env, MESSAGE);
  }

  String submit(Envelope env, byte[] message) throws Exception {
    String id = spoolMessage(env, message);
    vertx.eventBus().send(Addresses.ROUTER_TRIGGER, new JsonObject().put("id", id));
    return id;
  }

  List<String> queued() throws Exception {
    return onContext(() -> spool.list());
  }

  Envelope load(String id) throws Exception {
    return onContext(() -> spool.load(id));
  }

  String contentOf(String id) throws Exception {
    Spool.Content c = onContext(() -> spool.content(id));
    byte[] all = Files.readAllBytes(c.file());
    return new String(all, (int) c.offset(), (int) c.length(), StandardCharsets.UTF_8);
  }

  /** Messages in the spool other than {@code except} (DSNs the router created). */
  List<String> othersThan(String except) throws Exception {
    List<String> ids = new ArrayList<>(queued());
    ids.remove(except);
    return ids;
  }

  List<JsonObject> eventsFor(String queueId) {
    return events.stream().filter(e -> queueId.equals(e.getString("queueId"))).toList();
  }

  <T> T onContext(Supplier<Future<T>> action) throws Exception {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return await(promise.future());
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** Polls {@code condition} every 20 ms for up to 15 s. */
  static void until(String what, Check condition) throws Exception {
    until(what, 15, condition);
  }

  /** Polls {@code condition} every 20 ms for up to {@code seconds}. */
  static void until(String what, int seconds, Check condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.ok()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(20);
    }
  }

  interface Check {
    boolean ok() throws Exception;
  }

  @Override
  public void close() throws Exception {
    if (deployment != null) {
      await(vertx.undeploy(deployment));
    }
    if (resolver != null) {
      resolver.close();
    }
    if (spool != null) {
      onContext(() -> spool.close());
    }
    await(dns.close());
  }
}
