package io.hermod.cluster;

import io.hermod.api.Addresses;
import io.hermod.api.EventBatch;
import io.hermod.api.EventFeed;
import io.hermod.api.EventFeedOptions;
import io.hermod.api.FeedEvent;
import io.hermod.api.HermodClient;
import io.hermod.api.Submission;
import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.TestHermod;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two clustered Hermod nodes, each with its own journal, and one {@link EventFeed} subscription (on node B's
 * Vert.x) that finds both nodes and gets every event of each: once, in order per node.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FeedClusterTest {

  @Test
  void oneSubscriptionGetsEveryEventOfBothNodes() throws Exception {
    ClusterNodes nodes = new ClusterNodes(2);
    Vertx peerVertx = Vertx.vertx();
    TestHermod a = null;
    TestHermod b = null;
    try {
      ScriptedSmtpPeer peer = new ScriptedSmtpPeer(peerVertx).start().await(10, TimeUnit.SECONDS);
      Future<Vertx> va = nodes.start(0);
      Future<Vertx> vb = nodes.start(1);
      Future.all(va, vb).await(30, TimeUnit.SECONDS);
      a = TestHermod.start(va.result(), Files.createTempDirectory("hermod-feed-a"), config(nodes, 0, peer));
      b = TestHermod.start(vb.result(), Files.createTempDirectory("hermod-feed-b"), config(nodes, 1, peer));
      assertNotEquals(a.hermod.nodeId(), b.hermod.nodeId());

      Map<String, List<Long>> seqs = new HashMap<>();
      Set<String> delivered = java.util.concurrent.ConcurrentHashMap.newKeySet();
      EventFeed feed = EventFeed.subscribe(b.vertx, "cluster-app",
          new EventFeedOptions().retry(50, 500).discoveryMillis(200), (EventBatch batch) -> {
            synchronized (seqs) {
              for (FeedEvent e : batch.events()) {
                seqs.computeIfAbsent(e.node(), n -> new ArrayList<>()).add(e.seq());
                if ("delivered".equals(e.event().outcome())) {
                  delivered.add(e.event().queueId());
                }
              }
            }
            return Future.succeededFuture();
          }).await(10, TimeUnit.SECONDS);

      Set<String> submitted = new HashSet<>();
      submitted.addAll(submitLocally(a, 10)); // spooled, delivered and journaled on node A
      submitted.addAll(submitLocally(b, 10)); // on node B
      io.hermod.testing.Wait.until(() -> delivered.containsAll(submitted), "every event of both nodes", 60);
      feed.close().await(10, TimeUnit.SECONDS);
      synchronized (seqs) {
        assertEquals(Set.of(a.hermod.nodeId(), b.hermod.nodeId()), seqs.keySet(), "events from both nodes");
        for (Map.Entry<String, List<Long>> e : seqs.entrySet()) {
          List<Long> expected = new ArrayList<>();
          for (long s = 1; s <= e.getValue().size(); s++) {
            expected.add(s);
          }
          assertEquals(expected, e.getValue(), "node " + e.getKey() + ": every event once, in order");
        }
      }
    } finally {
      if (b != null) {
        b.close();
      }
      if (a != null) {
        a.close();
      }
      peerVertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static JsonObject config(ClusterNodes nodes, int index, ScriptedSmtpPeer peer) {
    return new JsonObject().put("cluster", nodes.section(index))
        .put("routing", new JsonObject().put("routes", new JsonObject().put("peer.test", "[127.0.0.1]:" + peer.port())));
  }

  private static List<String> submitLocally(TestHermod node, int count) throws Exception {
    HermodClient client = HermodClient.create(node.vertx, Addresses.nodeLocal().setSendTimeout(20_000));
    List<Future<String>> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(client.submit(Submission.builder().from("app@sender.test").to("r" + i + "@peer.test")
          .raw("Subject: cluster feed\r\n\r\nhi\r\n").build()).map(r -> r.queueId()));
    }
    Future.all(ids).await(20, TimeUnit.SECONDS);
    return ids.stream().map(Future::result).toList();
  }
}
