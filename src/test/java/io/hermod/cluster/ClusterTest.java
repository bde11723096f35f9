package io.hermod.cluster;

import io.hermod.submit.SubmitVerticle;

import io.hermod.api.Addresses;
import io.hermod.api.DeliveryEvent;
import io.hermod.api.HermodClient;
import io.hermod.api.SubmitResult;
import io.hermod.api.Submission;
import io.hermod.testing.Ports;
import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.TestHermod;
import io.hermod.testing.Wait;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two clustered Hermod nodes in one JVM (docs/cluster.md): submission from any node, events from every
 * node, and the cluster-wide per-destination connection cap. The nodes start once for the class (~3 s).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterTest {

  private static final ClusterNodes NODES = new ClusterNodes(3);
  private static TestHermod a;
  private static TestHermod b;
  private static Ports.Refusing remote;
  private static Vertx peerVertx;
  private static ScriptedSmtpPeer slowPeer;
  private static final int CAP = 2;

  @BeforeAll
  static void startTwoNodes() throws Exception {
    remote = Ports.refusing();
    peerVertx = Vertx.vertx();
    // Slow replies (3 ms a byte, about half a second a message): both nodes want connections at once.
    slowPeer = new ScriptedSmtpPeer(peerVertx).replyByteDelay(3).start().await(10, TimeUnit.SECONDS);
    Future<Vertx> va = NODES.start(0);
    Future<Vertx> vb = NODES.start(1);
    Future.all(va, vb).await(30, TimeUnit.SECONDS);
    a = TestHermod.start(va.result(), Files.createTempDirectory("hermod-node-a"), nodeConfig("a", 0));
    b = TestHermod.start(vb.result(), Files.createTempDirectory("hermod-node-b"), nodeConfig("b", 1));
  }

  /**
   * remote.test goes to a port that refuses: every delivery is deferred at once, and retried only much later.
   * cap.test goes to the slow peer, at most {@link #CAP} connections per destination across the cluster.
   */
  private static JsonObject nodeConfig(String name, int index) {
    return new JsonObject().put("cluster", NODES.section(index))
        .put("hostname", "node-" + name + ".hermod.test") // the EHLO name: the peer tells the nodes apart
        .put("routing", new JsonObject().put("routes", new JsonObject().put("remote.test", remote.nextHop())
            .put("cap.test", "[127.0.0.1]:" + slowPeer.port())))
        // Short timeouts: whatever answers on the closed port, the attempt is deferred within seconds.
        .put("delivery", new JsonObject().put("retryInitialSeconds", 3600).put("connectTimeoutSeconds", 2)
            .put("commandTimeoutSeconds", 2).put("maxConnectionsPerDestination", CAP));
  }

  @AfterAll
  static void stopNodes() throws Exception {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
    if (peerVertx != null) {
      peerVertx.close().await(10, TimeUnit.SECONDS);
    }
    if (remote != null) {
      remote.close();
    }
  }

  @Test
  void anApplicationOnNodeBSubmitsAndSomeNodeSpoolsAndAnswers() throws Exception {
    HermodClient client = HermodClient.create(b.vertx);
    List<String> onA = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      SubmitResult r = client.submit(message("bob@remote.test")).await(20, TimeUnit.SECONDS);
      boolean inA = a.hermod.spool().list().await().contains(r.queueId());
      boolean inB = b.hermod.spool().list().await().contains(r.queueId());
      assertTrue(inA ^ inB, r.queueId() + " must be in exactly one node's spool (A: " + inA + ", B: " + inB + ")");
      if (inA) {
        onA.add(r.queueId());
      }
    }
    // Vert.x round-robins the submit consumers of the cluster: node A answered some of node B's requests.
    assertTrue(!onA.isEmpty(), "node A's SubmitVerticle answered none of 6 submissions from node B");
  }

  @Test
  void eventsPublishedOnNodeAReachAConsumerOnNodeB() throws Exception {
    Promise<Void> probed = Promise.promise();
    // Every event by queue id: the deferral can reach node B before the submitter has even read its queue id.
    Map<String, DeliveryEvent> byId = new java.util.concurrent.ConcurrentHashMap<>();
    MessageConsumer<JsonObject> consumer = HermodClient.create(b.vertx).onEvent(e -> {
      if ("probe".equals(e.queueId())) {
        probed.tryComplete();
      } else {
        byId.putIfAbsent(e.queueId(), e);
      }
    });
    consumer.completion().await(10, TimeUnit.SECONDS);
    // Node A learns of node B's new subscription asynchronously (Hazelcast's subscription map): publish a
    // probe from A until B hears it, so the real event cannot race the registration.
    long probe = a.vertx.setPeriodic(200, t -> a.vertx.eventBus().publish(Addresses.EVENTS,
        new JsonObject().put("queueId", "probe")));
    try {
      probed.future().await(20, TimeUnit.SECONDS);
    } finally {
      a.vertx.cancelTimer(probe);
    }
    // Local-only: the message is submitted to node A's own SubmitVerticle, so node A's router delivers it.
    SubmitResult r = HermodClient.create(a.vertx, Addresses.nodeLocal().setSendTimeout(20_000))
        .submit(message("carol@remote.test")).await(20, TimeUnit.SECONDS);
    assertTrue(a.hermod.spool().list().await().contains(r.queueId()));
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!byId.containsKey(r.queueId()) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    DeliveryEvent event = byId.get(r.queueId());
    assertTrue(event != null, "node B saw no event for " + r.queueId() + " within 30 s");
    assertEquals("carol@remote.test", event.recipient());
    assertEquals("deferred", event.outcome());
    consumer.unregister().await();
  }

  /**
   * The cap counted where it matters, at the peer, which sees every node's connections at the same instant
   * (sampling each node's grants one after the other could add a slot one node just gave up to the one the
   * other just took): never more than {@link #CAP} sessions at once, and both nodes had some.
   */
  @Test
  void twoNodesTogetherNeverExceedTheCapAtThePeer() throws Exception {
    int each = 10;
    List<Future<SubmitResult>> submitted = new ArrayList<>();
    for (TestHermod node : List.of(a, b)) {
      HermodClient client = HermodClient.create(node.vertx, Addresses.nodeLocal().setSendTimeout(20_000));
      for (int i = 0; i < each; i++) {
        submitted.add(client.submit(message("sink@cap.test"))); // each node spools and delivers its own
      }
    }
    Future.all(submitted).await(20, TimeUnit.SECONDS);
    Wait.until(() -> slowPeer.messages().size() >= 2 * each, "every message at the peer", 40);
    long fromA = sessionsFrom("a");
    long fromB = sessionsFrom("b");
    System.out.printf("cluster cap test: %d messages, at most %d sessions at once (cap %d), %d from A, %d from B%n",
        slowPeer.messages().size(), slowPeer.maxConcurrentSessions(), CAP, fromA, fromB);
    assertTrue(slowPeer.maxConcurrentSessions() <= CAP, "the peer saw " + slowPeer.maxConcurrentSessions()
        + " sessions at once");
    assertTrue(fromA > 0 && fromB > 0, "both nodes delivered (sessions from A: " + fromA + ", B: " + fromB + ")");
  }

  private static long sessionsFrom(String node) {
    String ehlo = "EHLO node-" + node + ".hermod.test";
    return slowPeer.sessions().stream().filter(session -> session.commands().contains(ehlo)).count();
  }

  @Test
  void withACapOfOneTwoNodesTakeTurns() throws Exception {
    String destination = "turns-" + UUID.randomUUID() + ".test";
    Context ctxA = a.vertx.getOrCreateContext();
    Context ctxB = b.vertx.getOrCreateContext();
    ClusterSlotLeases leasesA = on(ctxA, () -> new ClusterSlotLeases(a.vertx, 1, Duration.ofSeconds(3)));
    ClusterSlotLeases leasesB = on(ctxB, () -> new ClusterSlotLeases(b.vertx, 1, Duration.ofSeconds(3)));
    try {
      // Both always have mail waiting and nothing open: without turns the first holder would keep the slot.
      on(ctxA, () -> start(leasesA, destination, 0, 10));
      on(ctxB, () -> start(leasesB, destination, 0, 10));
      boolean aHeld = false;
      boolean bHeld = false;
      long deadline = System.nanoTime() + 25_000_000_000L; // a turn is one lease (3 s)
      while (!(aHeld && bHeld) && System.nanoTime() < deadline) {
        int grantedA = on(ctxA, () -> leasesA.allowed(destination));
        int grantedB = on(ctxB, () -> leasesB.allowed(destination));
        assertTrue(heldInCluster(destination) <= 1, "the cluster map records more than the cap of 1");
        aHeld |= grantedA == 1;
        bHeld |= grantedB == 1;
        Thread.sleep(50);
      }
      assertTrue(aHeld && bHeld, "both nodes got a turn (A: " + aHeld + ", B: " + bHeld + ")");
    } finally {
      on(ctxA, () -> stop(leasesA));
      on(ctxB, () -> stop(leasesB));
    }
  }

  @Test
  void aStoppedNodesSlotsComeBackAfterTheLease() throws Exception {
    String destination = "dead-" + UUID.randomUUID() + ".test";
    int cap = 4;
    Vertx c = NODES.start(2).await(30, TimeUnit.SECONDS);
    Context ctxA = a.vertx.getOrCreateContext();
    ClusterSlotLeases leasesA = on(ctxA, () -> new ClusterSlotLeases(a.vertx, cap, Duration.ofSeconds(3)));
    boolean closed = false;
    try {
      Context ctxC = c.getOrCreateContext();
      ClusterSlotLeases leasesC = on(ctxC, () -> new ClusterSlotLeases(c, cap, Duration.ofSeconds(3)));
      // Node C has all the slots in use (connections open: it cannot give any back).
      on(ctxC, () -> start(leasesC, destination, cap, 0));
      while (on(ctxC, () -> leasesC.allowed(destination)) < cap) {
        Thread.sleep(50);
      }
      on(ctxA, () -> start(leasesA, destination, 0, 10));
      Thread.sleep(1500); // a few refreshes of node A while C holds everything
      assertEquals(0, (int) on(ctxA, () -> leasesA.allowed(destination)));
      // Node C goes away without giving its slots back (no stop()): its entry lives on until its lease ends.
      c.close().await(30, TimeUnit.SECONDS);
      closed = true;
      while (on(ctxA, () -> leasesA.allowed(destination)) < cap) {
        Thread.sleep(100);
      }
      assertTrue(heldInCluster(destination) <= cap);
    } finally {
      on(ctxA, () -> stop(leasesA));
      if (!closed) {
        c.close().await(30, TimeUnit.SECONDS);
      }
    }
  }

  private static Submission message(String to) {
    return Submission.builder().from("app@example.test").to(to).raw("Subject: cluster\n\nhello\n").build();
  }

  private static Void start(ClusterSlotLeases leases, String destination, int inFlight, int waiting) {
    leases.start(() -> { });
    leases.demand(destination, inFlight, waiting);
    return null;
  }

  private static Void stop(ClusterSlotLeases leases) {
    leases.stop();
    return null;
  }

  /** The sum of "held" over the live entries of the destination's cluster map. */
  private static int heldInCluster(String destination) throws Exception {
    Map<String, JsonObject> entries = a.vertx.sharedData()
        .<String, JsonObject>getAsyncMap(ClusterSlotLeases.PREFIX + destination)
        .compose(AsyncMap::entries).await(10, TimeUnit.SECONDS);
    return entries.values().stream().mapToInt(e -> e.getInteger(SlotShare.HELD)).sum();
  }

  /** Runs {@code action} on {@code context} (the leases are confined to one context) and waits for its result. */
  private static <T> T on(Context context, Supplier<T> action) throws Exception {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> {
      try {
        result.complete(action.get());
      } catch (RuntimeException e) {
        result.fail(e);
      }
    });
    return result.future().await(10, TimeUnit.SECONDS);
  }
}
