package io.hermod.cluster;

import io.hermod.api.DeliveryEvent;
import io.hermod.api.HermodClient;
import io.hermod.api.SubmitResult;
import io.hermod.api.Submission;
import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.TestHermod;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three clustered Hermod nodes in one JVM, each with its own spool and mail for the same slow peer: the
 * cluster-wide cap of 2 connections holds while all three deliver, every message arrives, and an
 * application on node A sees the delivery events of the messages it submitted through node C.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ThreeNodeClusterTest {

  private static final int PER_NODE = 15;

  @Test
  void threeNodesShareACapOfTwoAndDeliverEverything() throws Exception {
    ClusterNodes nodes = new ClusterNodes(3);
    Vertx peerVertx = Vertx.vertx();
    // Slow replies keep sessions open long enough for the nodes to compete for the two slots.
    ScriptedSmtpPeer peer = new ScriptedSmtpPeer(peerVertx).replyByteDelay(1).start().await();
    List<TestHermod> hermods = new ArrayList<>();
    try {
      List<Future<Vertx>> started = List.of(nodes.start(0), nodes.start(1), nodes.start(2));
      Future.all(started).await(60, TimeUnit.SECONDS);
      for (int i = 0; i < 3; i++) {
        hermods.add(TestHermod.start(started.get(i).result(), Files.createTempDirectory("hermod-node-" + i),
            new JsonObject().put("cluster", nodes.section(i).put("slotLeaseSeconds", 4))
                .put("routing", new JsonObject().put("routes",
                    new JsonObject().put("shared.test", "[127.0.0.1]:" + peer.port())))
                .put("delivery", new JsonObject().put("maxConnectionsPerDestination", 2))));
      }
      TestHermod a = hermods.get(0);

      Set<String> fromC = new HashSet<>();
      // Every delivered queue id seen on node A (an event may come before its submitter read the queue id).
      Set<String> deliveredSeenOnA = java.util.concurrent.ConcurrentHashMap.newKeySet();
      MessageConsumer<JsonObject> events = HermodClient.create(a.vertx).onEvent((DeliveryEvent e) -> {
        if ("delivered".equals(e.outcome())) {
          deliveredSeenOnA.add(e.queueId());
        }
      });
      events.completion().await(10, TimeUnit.SECONDS);

      // Node-local submissions: each node spools (and so delivers) its own share.
      for (int n = 0; n < 3; n++) {
        HermodClient client = HermodClient.create(hermods.get(n).vertx,
            io.hermod.api.Addresses.nodeLocal().setSendTimeout(20_000));
        for (int i = 0; i < PER_NODE; i++) {
          SubmitResult r = client.submit(Submission.builder().from("app@example.test").to("rcpt@shared.test")
              .raw("Subject: node " + n + " message " + i + "\n\nhello\n").build()).await(20, TimeUnit.SECONDS);
          if (n == 2) {
            fromC.add(r.queueId());
          }
        }
      }
      long deadline = System.nanoTime() + 90_000_000_000L;
      while (peer.messages().size() < 3 * PER_NODE && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertEquals(3 * PER_NODE, peer.messages().size(), "every message reached the peer");
      Set<String> subjects = new HashSet<>();
      peer.messages().forEach(m -> m.content().toString().lines().filter(l -> l.startsWith("Subject: "))
          .forEach(subjects::add));
      assertEquals(3 * PER_NODE, subjects.size(), "each message once, from all three nodes: " + subjects);
      assertTrue(peer.maxConcurrentSessions() <= 2,
          "the peer saw " + peer.maxConcurrentSessions() + " concurrent sessions under a cluster-wide cap of 2");
      long eventsDeadline = System.nanoTime() + 30_000_000_000L;
      while (!deliveredSeenOnA.containsAll(fromC) && System.nanoTime() < eventsDeadline) {
        Thread.sleep(50);
      }
      assertTrue(deliveredSeenOnA.containsAll(fromC), "node A saw the delivery of every message node C spooled");
      assertEquals(PER_NODE, fromC.size());
      events.unregister().await();
    } finally {
      for (TestHermod h : hermods) {
        h.close();
      }
      peer.close().await();
      peerVertx.close().await();
    }
  }
}
