package io.hermod.events;

import io.hermod.api.EventBatch;
import io.hermod.api.EventFeed;
import io.hermod.api.EventFeedOptions;
import io.hermod.api.FeedEvent;
import io.hermod.config.EventFeedConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link EventFeed} client against two nodes' feed verticles in one Vert.x, over in-memory journals (the
 * seams): it finds both, gets every event of each once and in order, acknowledges, resumes, retries a failed
 * handler and a node that went away. Hermod's real journal and nodes are in FeedE2ETest and FeedClusterTest.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventFeedClientTest {

  private static final EventFeedConfig LIMITS = new EventFeedConfig(true, 7, 1 << 20, 2000, 100, 100);

  private Vertx vertx;
  private final Map<String, MemoryJournal> journals = new HashMap<>();
  private final Map<String, MemoryCursors> cursors = new HashMap<>();
  private final Map<String, String> deployments = new HashMap<>();

  @BeforeEach
  void twoNodes() throws Exception {
    vertx = Vertx.vertx();
    for (String node : List.of("n1", "n2")) {
      journals.put(node, new MemoryJournal());
      cursors.put(node, new MemoryCursors());
      deploy(node);
    }
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void oneSubscriptionGetsEveryEventOfBothNodesOnceAndInOrder() throws Exception {
    append("n1", 20);
    append("n2", 15);
    Received got = new Received();
    EventFeed feed = subscribe("all", got::handle);
    append("n1", 10); // at the tail: the long poll wakes
    append("n2", 10);
    got.waitFor(Map.of("n1", 30L, "n2", 25L));
    feed.close().await(10, TimeUnit.SECONDS);
    got.assertExactlyOnceInOrder(Map.of("n1", 30L, "n2", 25L));
    assertEquals(30L, cursors.get("n1").snapshot().get("feed.all"), "acknowledged on node n1");
    assertEquals(25L, cursors.get("n2").snapshot().get("feed.all"), "acknowledged on node n2");
  }

  @Test
  void aConsumerThatStopsMidStreamResumesAfterItsLastAcknowledgedBatch() throws Exception {
    append("n1", 40);
    Received first = new Received();
    AtomicInteger batches = new AtomicInteger();
    EventFeed feed = subscribe("resume", b -> {
      first.handle(b);
      return batches.incrementAndGet() >= 2 ? Future.failedFuture("the consumer is going down") : Future.succeededFuture();
    });
    waitUntil(() -> batches.get() >= 2);
    feed.close().await(10, TimeUnit.SECONDS);
    long acked = cursors.get("n1").snapshot().get("feed.resume");
    assertEquals(7L, acked, "only the first batch (7 events) was acknowledged; the failed second one was not");
    append("n1", 5);
    Received second = new Received();
    EventFeed again = subscribe("resume", second::handle);
    second.waitFor(Map.of("n1", 45L, "n2", 0L));
    again.close().await(10, TimeUnit.SECONDS);
    assertEquals(acked + 1, second.seqs("n1").get(0), "resumes exactly after the last acknowledged seq");
    second.assertContiguous("n1", acked + 1, 45);
  }

  @Test
  void unsubscribeRemovesTheCursorOnEveryNode() throws Exception {
    append("n1", 2);
    append("n2", 2);
    Received got = new Received();
    EventFeed feed = subscribe("gone", got::handle);
    got.waitFor(Map.of("n1", 2L, "n2", 2L));
    assertTrue(cursors.get("n1").snapshot().containsKey("feed.gone"));
    feed.unsubscribe().await(10, TimeUnit.SECONDS);
    assertTrue(!cursors.get("n1").snapshot().containsKey("feed.gone"), "removed on n1");
    assertTrue(!cursors.get("n2").snapshot().containsKey("feed.gone"), "removed on n2");
  }

  @Test
  void aReadRefusedForTooManyWaitingReadsIsRetriedAndNothingIsMissed() throws Exception {
    MemoryJournal journal = new MemoryJournal();
    journals.put("n3", journal);
    cursors.put("n3", new MemoryCursors());
    // One waiting read at a time on n3: the subscriptions' reads at its tail are refused (429) and back off.
    deployments.put("n3", vertx.deployVerticle(new FeedVerticle("n3", journal, cursors.get("n3"),
        new EventFeedConfig(true, 7, 1 << 20, 2000, 100, 1))).await(10, TimeUnit.SECONDS));
    // The test takes the only slot itself: a read at n3's tail that waits up to 2 s.
    var bus = vertx.eventBus();
    String n3 = io.hermod.api.Addresses.feedNode("n3");
    bus.request(n3, new JsonObject().put("op", "open").put("cursor", "blocker")).await(10, TimeUnit.SECONDS);
    Future<io.vertx.core.eventbus.Message<JsonObject>> blocker = bus.request(n3, new JsonObject().put("op", "read")
        .put("cursor", "blocker").put("after", 0).put("waitMillis", 2000));
    Received one = new Received();
    Received two = new Received();
    EventFeed first = subscribe("one", one::handle);
    EventFeed second = subscribe("two", two::handle);
    waitUntil(() -> cursors.get("n3").snapshot().keySet().containsAll(java.util.Set.of("feed.one", "feed.two")));
    append("n3", 20);
    // Woken by the appends (how many it got depends on when the wake ran), not answered empty by its timeout.
    JsonObject woken = blocker.await(10, TimeUnit.SECONDS).body().getJsonArray("events").getJsonObject(0);
    assertEquals(1L, woken.getLong("seq"));
    one.waitFor(Map.of("n3", 20L));
    two.waitFor(Map.of("n3", 20L));
    first.close().await(10, TimeUnit.SECONDS);
    second.close().await(10, TimeUnit.SECONDS);
    one.assertContiguous("n3", 1, 20);
    two.assertContiguous("n3", 1, 20);
  }

  @Test
  void aFailedHandlerGetsTheSameBatchAgain() throws Exception {
    append("n2", 10);
    Received got = new Received();
    AtomicInteger calls = new AtomicInteger();
    EventFeed feed = subscribe("retry", b -> {
      if (b.node().equals("n2") && calls.incrementAndGet() == 1) {
        return Future.failedFuture("try again");
      }
      return got.handle(b);
    });
    got.waitFor(Map.of("n2", 10L));
    feed.close().await(10, TimeUnit.SECONDS);
    got.assertExactlyOnceInOrder(Map.of("n2", 10L));
  }

  @Test
  void aNodeThatGoesAwayIsCaughtUpWhenItReturns() throws Exception {
    append("n1", 3);
    Received got = new Received();
    EventFeed feed = subscribe("down", got::handle);
    got.waitFor(Map.of("n1", 3L));
    vertx.undeploy(deployments.get("n1")).await(10, TimeUnit.SECONDS);
    append("n1", 12); // recorded while its feed is not served
    append("n2", 2);
    got.waitFor(Map.of("n2", 2L));
    deploy("n1");
    got.waitFor(Map.of("n1", 15L));
    feed.close().await(10, TimeUnit.SECONDS);
    got.assertExactlyOnceInOrder(Map.of("n1", 15L, "n2", 2L));
  }

  @Test
  void aReplayFromATimeMovesTheCursorBack() throws Exception {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 1; i <= 6; i++) {
      journals.get("n1").append(new JsonObject().put("queueId", "q" + i).put("outcome", "delivered"),
          t0.plusSeconds(60L * i));
    }
    Received all = new Received();
    EventFeed feed = subscribe("replay", all::handle);
    all.waitFor(Map.of("n1", 6L));
    feed.close().await(10, TimeUnit.SECONDS);
    Received replayed = new Received();
    EventFeed replay = EventFeed.subscribe(vertx, "replay", options().from(t0.plusSeconds(270)).replay(true),
        replayed::handle).await(10, TimeUnit.SECONDS);
    replayed.waitFor(Map.of("n1", 6L));
    replay.close().await(10, TimeUnit.SECONDS);
    assertEquals(List.of(5L, 6L), replayed.seqs("n1"), "the events recorded at 00:05 and 00:06, from 00:04:30 on");
  }

  @Test
  void aLostAckReDeliversTheUnacknowledgedEventsToTheNextSubscriptionAndNothingElse() throws Exception {
    append("n1", 5);
    Received first = new Received();
    EventFeed feed = subscribe("lost", first::handle);
    first.waitFor(Map.of("n1", 5L));
    feed.close().await(10, TimeUnit.SECONDS);
    append("n1", 3);
    cursors.get("n1").failCommits(true); // the node cannot record the next ack
    Received second = new Received();
    feed = subscribe("lost", second::handle);
    second.waitFor(Map.of("n1", 8L));
    feed.close().await(10, TimeUnit.SECONDS);
    cursors.get("n1").failCommits(false);
    Received third = new Received();
    feed = subscribe("lost", third::handle);
    third.waitFor(Map.of("n1", 8L));
    feed.close().await(10, TimeUnit.SECONDS);
    first.assertContiguous("n1", 1, 5);
    second.assertContiguous("n1", 6, 8);
    third.assertContiguous("n1", 6, 8); // the documented duplicate: handled, but its ack never committed
  }

  private EventFeed subscribe(String name, Function<EventBatch, Future<Void>> handler) throws Exception {
    return EventFeed.subscribe(vertx, name, options(), handler).await(10, TimeUnit.SECONDS);
  }

  private static EventFeedOptions options() {
    return new EventFeedOptions().retry(50, 200).discoveryMillis(200).waitMillis(1000);
  }

  private void deploy(String node) throws Exception {
    deployments.put(node, vertx.deployVerticle(new FeedVerticle(node, journals.get(node), cursors.get(node), LIMITS))
        .await(10, TimeUnit.SECONDS));
  }

  private void append(String node, int count) {
    for (int i = 0; i < count; i++) {
      journals.get(node).append(new JsonObject().put("queueId", node + "-" + i).put("outcome", "delivered"),
          Instant.now());
    }
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    io.hermod.testing.Wait.until(condition, "the condition", 20);
  }

  /** What a handler got, per node, in the order it got it. */
  static final class Received {
    private final Map<String, List<Long>> seqs = new HashMap<>();

    synchronized Future<Void> handle(EventBatch batch) {
      for (FeedEvent e : batch.events()) {
        assertEquals(batch.node(), e.node());
        seqs.computeIfAbsent(e.node(), n -> new ArrayList<>()).add(e.seq());
      }
      return Future.succeededFuture();
    }

    synchronized List<Long> seqs(String node) {
      return new ArrayList<>(seqs.getOrDefault(node, List.of()));
    }

    synchronized long highest(String node) {
      List<Long> s = seqs.getOrDefault(node, List.of());
      return s.isEmpty() ? 0 : s.get(s.size() - 1);
    }

    void waitFor(Map<String, Long> highest) throws InterruptedException {
      waitUntil(() -> highest.entrySet().stream().allMatch(e -> highest(e.getKey()) >= e.getValue()));
    }

    void assertExactlyOnceInOrder(Map<String, Long> counts) {
      counts.forEach((node, count) -> assertContiguous(node, 1, count));
    }

    void assertContiguous(String node, long from, long to) {
      List<Long> expected = new ArrayList<>();
      for (long s = from; s <= to; s++) {
        expected.add(s);
      }
      assertEquals(expected, seqs(node), "node " + node + ": every event once, in order");
    }
  }
}
