package io.hermod.cluster;

import io.hermod.api.Addresses;
import io.hermod.api.HermodClient;
import io.hermod.api.Submission;
import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.TestHermod;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * delivery.ratePerDestination holds for the cluster, not per node (docs/cluster.md): two clustered Hermod
 * nodes in this JVM, each with 20 messages for one fast peer, a rate of 4 jobs a second. Each node leases a
 * share of the rate and runs its token bucket at it, so the peer gets at most about 4 a second in all; with
 * per-node rates it would get 8. Only upper bounds are asserted (a slow machine only lowers the rate).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterRateTest {

  private static final int RATE = 4;
  private static final int MESSAGES = 20;
  private static final int WINDOW_SECONDS = 3;

  @TempDir
  Path temp;

  @Test
  void twoNodesTogetherKeepOneDestinationsRate() throws Exception {
    Vertx peerVertx = Vertx.vertx();
    List<TestHermod> nodes = new ArrayList<>();
    try {
      ScriptedSmtpPeer peer = new ScriptedSmtpPeer(peerVertx).start().await(10, TimeUnit.SECONDS);
      ClusterNodes cluster = new ClusterNodes(2);
      Future<Vertx> va = cluster.start(0);
      Future<Vertx> vb = cluster.start(1);
      Future.all(va, vb).await(30, TimeUnit.SECONDS);
      nodes.add(TestHermod.start(va.result(), temp.resolve("a"), nodeConfig(cluster, 0, peer.port())));
      nodes.add(TestHermod.start(vb.result(), temp.resolve("b"), nodeConfig(cluster, 1, peer.port())));

      List<Future<?>> submitted = new ArrayList<>();
      for (TestHermod node : nodes) {
        // Node-local: each node spools (and so delivers) its own 20.
        HermodClient client = HermodClient.create(node.vertx, Addresses.nodeLocal().setSendTimeout(20_000));
        for (int i = 0; i < MESSAGES; i++) {
          submitted.add(client.submit(Submission.builder().from("app@example.test").to("sink@peer.test")
              .raw("Subject: rate " + i + "\n\nhello\n").build()));
        }
      }
      long[] arrivals = arrivals(peer, 2 * MESSAGES, 40);
      Future.all(submitted).await(10, TimeUnit.SECONDS);

      int most = mostInAnyWindow(arrivals, TimeUnit.SECONDS.toNanos(WINDOW_SECONDS));
      // The shares sum to at most the rate at every moment; each node's bucket may add a burst of max(1, share).
      int bound = RATE * WINDOW_SECONDS + RATE;
      System.out.printf("cluster rate test: %d messages in %.1f s (%.1f/s, cluster rate %d/s); at most %d in %d s "
              + "(bound %d)%n", arrivals.length, (arrivals[arrivals.length - 1] - arrivals[0]) / 1e9,
          (arrivals.length - 1) * 1e9 / (arrivals[arrivals.length - 1] - arrivals[0]), RATE, most, WINDOW_SECONDS,
          bound);
      assertTrue(most <= bound, most + " messages within " + WINDOW_SECONDS + " s: the rate is not cluster-wide");
      assertEquals(2 * MESSAGES, peer.messages().size());
    } finally {
      nodes.forEach(TestHermod::close);
      peerVertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static JsonObject nodeConfig(ClusterNodes cluster, int index, int peerPort) {
    return new JsonObject()
        .put("cluster", cluster.section(index).put("slotLeaseSeconds", 3))
        .put("routing", new JsonObject().put("routes", new JsonObject().put("peer.test", "[127.0.0.1]:" + peerPort)))
        .put("delivery", new JsonObject().put("ratePerDestination", RATE).put("retryInitialSeconds", 1)
            .put("retryMaxSeconds", 2));
  }

  /** When each of the first {@code count} messages reached the peer (System.nanoTime, polled every 5 ms). */
  private static long[] arrivals(ScriptedSmtpPeer peer, int count, int seconds) throws InterruptedException {
    long[] at = new long[count];
    int seen = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (seen < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + seen + " of " + count + " messages at the peer after " + seconds + " s");
      }
      int now = Math.min(count, peer.messages().size());
      long t = System.nanoTime();
      while (seen < now) {
        at[seen++] = t;
      }
      Thread.sleep(5);
    }
    return at;
  }

  /** The most arrivals within any span of {@code windowNanos} (two pointers over the sorted times). */
  private static int mostInAnyWindow(long[] arrivals, long windowNanos) {
    int most = 0;
    for (int first = 0, last = 0; last < arrivals.length; last++) {
      while (arrivals[last] - arrivals[first] >= windowNanos) {
        first++;
      }
      most = Math.max(most, last - first + 1);
    }
    return most;
  }
}
