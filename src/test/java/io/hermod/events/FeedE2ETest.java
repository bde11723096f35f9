package io.hermod.events;

import io.hermod.Hermod;
import io.hermod.api.EventBatch;
import io.hermod.api.EventFeed;
import io.hermod.api.EventFeedOptions;
import io.hermod.api.FeedEvent;
import io.hermod.api.HermodClient;
import io.hermod.api.Submission;
import io.hermod.config.ConfigLoader;
import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.TestHermod;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The durable event feed end to end: a real Hermod (spool, router, delivery, the real event journal and cursor
 * store) relays to a scripted SMTP peer, and an {@link EventFeed} subscription on the same Vert.x reads the
 * "delivered" events. A consumer that stops mid-stream, a graceful node restart, replay from a time; every
 * submitted message's event arrives, and no event twice where at-least-once does not allow it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FeedE2ETest {

  @TempDir
  Path spoolDir;
  private Vertx vertx;
  private ScriptedSmtpPeer peer;
  private Hermod hermod;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    peer = new ScriptedSmtpPeer(vertx).start().await(10, TimeUnit.SECONDS);
    hermod = startHermod();
  }

  @AfterEach
  void stop() throws Exception {
    if (hermod != null) {
      hermod.stop().await(30, TimeUnit.SECONDS);
    }
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private Hermod startHermod() throws Exception {
    JsonObject config = TestHermod.baseConfig(spoolDir).mergeIn(new JsonObject()
        .put("routing", new JsonObject().put("routes", new JsonObject().put("peer.test", "[127.0.0.1]:" + peer.port()))),
        true);
    return vertx.executeBlocking(() -> Hermod.start(vertx, ConfigLoader.fromJson(config)), false)
        .compose(f -> f).await(30, TimeUnit.SECONDS);
  }

  @Test
  void aConsumerThatStopsMidStreamResumesAfterItsLastAcknowledgedBatchAndLosesNothing() throws Exception {
    Set<String> submitted = new HashSet<>(submit(30));
    Seen first = new Seen();
    AtomicInteger handled = new AtomicInteger();
    EventFeed feed = subscribe("billing", new EventFeedOptions().maxBatch(4), b -> {
      first.add(b);
      handled.incrementAndGet();
      return Future.succeededFuture();
    });
    waitUntil(() -> handled.get() >= 2, "two batches handled");
    feed.close().await(10, TimeUnit.SECONDS); // mid-stream: more events wait in the journal
    long acked = hermod.cursors().snapshot().get("feed.billing");
    assertEquals(first.highest(), acked, "close() waits for the ack of the batch in the handler");
    submitted.addAll(submit(20)); // while nobody reads
    Seen second = new Seen();
    feed = subscribe("billing", new EventFeedOptions().maxBatch(4), second::add);
    waitUntil(() -> union(first, second).containsAll(submitted), "every submitted message's event");
    feed.close().await(10, TimeUnit.SECONDS);
    assertEquals(acked + 1, second.seqs.get(0), "the restarted consumer starts right after its last ack");
    assertNoGapsNoDuplicates(first, second);
  }

  @Test
  void aGracefulNodeRestartLosesNoEventAndTheSubscriptionResumes() throws Exception {
    String node = hermod.nodeId();
    Set<String> submitted = new HashSet<>(submit(10));
    Seen seen = new Seen();
    EventFeed feed = subscribe("restart", new EventFeedOptions(), seen::add);
    waitUntil(() -> seen.queueIds.containsAll(submitted), "the first 10 events");
    // The stop comes after the last ack is durable: an ack lost in a stop re-delivers its batch, as documented.
    Hermod before = hermod;
    waitUntil(() -> before.cursors().snapshot().getOrDefault("feed.restart", 0L) == seen.highest(), "the last ack");
    hermod.stop().await(30, TimeUnit.SECONDS);
    hermod = null;
    hermod = startHermod();
    assertEquals(node, hermod.nodeId(), "the node id survives the restart (spool/node-id)");
    submitted.addAll(submit(10));
    waitUntil(() -> seen.queueIds.containsAll(submitted), "the 10 events after the restart");
    feed.close().await(10, TimeUnit.SECONDS);
    assertNoGapsNoDuplicates(seen);
    assertTrue(seen.nodes.equals(Set.of(node)), "one node: " + seen.nodes);
  }

  @Test
  void aReplayFromATimeDeliversExactlyTheEventsRecordedSince() throws Exception {
    Set<String> before = new HashSet<>(submit(5));
    Seen all = new Seen();
    EventFeed feed = subscribe("replay", new EventFeedOptions(), all::add);
    waitUntil(() -> all.queueIds.containsAll(before), "the first 5 events");
    Thread.sleep(5); // the journal's clock has milliseconds: keep the replay time apart from both groups
    Instant from = Instant.now();
    Thread.sleep(5);
    Set<String> after = new HashSet<>(submit(5));
    waitUntil(() -> all.queueIds.containsAll(after), "the next 5 events");
    feed.close().await(10, TimeUnit.SECONDS);
    Seen replayed = new Seen();
    feed = subscribe("replay", new EventFeedOptions().from(from).replay(true), replayed::add);
    waitUntil(() -> replayed.queueIds.containsAll(after), "the replayed events");
    Thread.sleep(300); // nothing else may come: give a wrong extra batch the chance to show
    feed.close().await(10, TimeUnit.SECONDS);
    assertEquals(after, new HashSet<>(replayed.queueIds), "exactly the messages delivered after the replay time");
    assertEquals(5, replayed.seqs.size());
  }

  private List<String> submit(int count) throws Exception {
    HermodClient client = HermodClient.create(vertx);
    List<Future<String>> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(client.submit(Submission.builder().from("app@sender.test").to("rcpt" + i + "@peer.test")
          .raw("Subject: feed " + i + "\r\n\r\nhello\r\n").build()).map(r -> r.queueId()));
    }
    Future.all(ids).await(30, TimeUnit.SECONDS);
    return ids.stream().map(Future::result).toList();
  }

  private EventFeed subscribe(String name, EventFeedOptions options, Function<EventBatch, Future<Void>> handler)
      throws Exception {
    return EventFeed.subscribe(vertx, name, options.retry(50, 500).discoveryMillis(200), handler)
        .await(10, TimeUnit.SECONDS);
  }

  private static Set<String> union(Seen a, Seen b) {
    Set<String> all = new HashSet<>(a.queueIds);
    all.addAll(b.queueIds);
    return all;
  }

  /** Together, the consumers saw seq 1, 2, 3... up to the last without a gap, and each seq once. */
  private static void assertNoGapsNoDuplicates(Seen... consumers) {
    List<Long> seqs = new ArrayList<>();
    for (Seen s : consumers) {
      synchronized (s) {
        seqs.addAll(s.seqs);
      }
    }
    List<Long> expected = new ArrayList<>();
    for (long i = 1; i <= seqs.size(); i++) {
      expected.add(i);
    }
    assertEquals(expected, seqs, "every journaled event once, in order");
  }

  private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
    io.hermod.testing.Wait.until(condition, what, 60);
  }

  /** What one subscription's handler got. */
  static final class Seen {
    final List<Long> seqs = new ArrayList<>();
    final List<String> queueIds = new java.util.concurrent.CopyOnWriteArrayList<>();
    final Set<String> nodes = new HashSet<>();

    synchronized Future<Void> add(EventBatch batch) {
      for (FeedEvent e : batch.events()) {
        seqs.add(e.seq());
        nodes.add(e.node());
        if ("delivered".equals(e.event().outcome())) {
          queueIds.add(e.event().queueId());
        }
      }
      return Future.succeededFuture();
    }

    synchronized long highest() {
      return seqs.isEmpty() ? 0 : seqs.get(seqs.size() - 1);
    }
  }
}
