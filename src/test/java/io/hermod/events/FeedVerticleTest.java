package io.hermod.events;

import io.hermod.api.Addresses;
import io.hermod.api.FeedProtocol;
import io.hermod.config.EventFeedConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The feed's protocol on the bus, against one {@link FeedVerticle} over an in-memory journal and cursor store
 * (the seams): positions, batches, long polls, acks, replay, and every bound. The real journal is in FeedE2ETest.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FeedVerticleTest {

  private static final String NODE = "n1";
  private static final EventFeedConfig LIMITS = new EventFeedConfig(true, 3, 65536, 3000, 2, 1);

  private Vertx vertx;
  private MemoryJournal journal;
  private MemoryCursors cursors;

  @BeforeEach
  void deploy() throws Exception {
    vertx = Vertx.vertx();
    journal = new MemoryJournal();
    cursors = new MemoryCursors();
    vertx.deployVerticle(new FeedVerticle(NODE, journal, cursors, LIMITS)).await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aNewCursorStartsAtTheBeginningReadsInBatchesAndAcksDurably() throws Exception {
    for (int i = 1; i <= 5; i++) {
      journal.append(event(i), Instant.now());
    }
    assertEquals(0L, call(open("c", "beginning")).getLong("position"));
    JsonObject first = call(read("c", 0, 100, 0));
    assertEquals(List.of(1L, 2L, 3L), seqs(first), "at most events.feed.maxBatchEntries (3) a batch");
    JsonObject e = first.getJsonArray("events").getJsonObject(0);
    assertEquals(NODE, e.getString("node"), "every served event names its node");
    assertEquals("q1", e.getString("queueId"), "and keeps its fields");
    assertEquals(5L, first.getLong("lastSeq"));
    call(ack("c", 3));
    assertEquals(3L, cursors.snapshot().get("feed.c"), "the ack is in the cursor store");
    assertEquals(3L, call(open("c", "end")).getLong("position"), "an existing cursor resumes; start is ignored");
    assertEquals(List.of(4L, 5L), seqs(call(read("c", 3, 100, 0))));
  }

  @Test
  void startAtTheEndOrAtATime() throws Exception {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 1; i <= 4; i++) {
      journal.append(event(i), t0.plusSeconds(i * 60));
    }
    assertEquals(4L, call(open("tail", "end")).getLong("position"));
    JsonObject byTime = open("t", "time").put("time", t0.plusSeconds(150).toString());
    assertEquals(2L, call(byTime).getLong("position"), "events from 02:30 on: after seq 2 (01:00, 02:00)");
    assertEquals(List.of(3L, 4L), seqs(call(read("t", 2, 10, 0))));
  }

  @Test
  void aResetReplaysEvenBackwards() throws Exception {
    for (int i = 1; i <= 3; i++) {
      journal.append(event(i), Instant.now());
    }
    call(open("c", "beginning"));
    call(ack("c", 3));
    assertEquals(3L, call(open("c", "beginning")).getLong("position"));
    assertEquals(0L, call(open("c", "beginning").put("reset", true)).getLong("position"));
    assertEquals(0L, cursors.snapshot().get("feed.c"));
  }

  @Test
  void aReadAtTheEndWaitsAndTheNextAppendAnswersIt() throws Exception {
    call(open("c", "beginning"));
    Future<JsonObject> waiting = request(read("c", 0, 10, 3000));
    vertx.setTimer(300, t -> journal.append(event(1), Instant.now()));
    JsonObject reply = waiting.await(10, TimeUnit.SECONDS);
    assertEquals(List.of(1L), seqs(reply), "woken by the append, not by the 3-s timeout (which answers empty)");
  }

  @Test
  void aReadAtTheEndWithNothingNewAnswersEmptyAfterItsWait() throws Exception {
    call(open("c", "beginning"));
    assertEquals(List.of(), seqs(call(read("c", 0, 10, 200))));
  }

  @Test
  void aNodeThatStopsAnswersItsWaitingReadsWithAnEmptyBatchRatherThanLeavingThemHanging() throws Exception {
    call(open("c", "beginning"));
    Future<JsonObject> waiting = request(read("c", 0, 10, 3000));
    waitUntilWaiting(waiting);
    vertx.undeploy(vertx.deploymentIDs().iterator().next()).await(10, TimeUnit.SECONDS);
    // Undeploying cancels the verticle's timers: without the answer at stop the read would fail by its timeout.
    assertEquals(List.of(), seqs(waiting.await(10, TimeUnit.SECONDS)));
  }

  @Test
  void boundsAreRefusedWithTooMany() throws Exception {
    call(open("a", "beginning"));
    call(open("b", "beginning"));
    assertEquals(429, failure(open("c", "beginning")), "events.feed.maxSubscriptions = 2");
    Future<JsonObject> one = request(read("a", 0, 10, 3000)); // the one waiting read allowed
    waitUntilWaiting(one);
    assertEquals(429, failure(read("b", 0, 10, 3000)), "events.feed.maxWaitingReads = 1");
    journal.append(event(1), Instant.now());
    assertEquals(List.of(1L), seqs(one.await(10, TimeUnit.SECONDS)));
  }

  @Test
  void unknownCursorsBadAcksAndBadRequestsGetTheirCodes() throws Exception {
    assertEquals(404, failure(read("nobody", 0, 10, 0)));
    assertEquals(404, failure(ack("nobody", 0)));
    call(open("c", "beginning"));
    assertEquals(400, failure(ack("c", 1)), "an ack beyond the last event");
    assertEquals(400, failure(new JsonObject().put("op", "read").put("cursor", "c")));
    ReplyException notJson = assertThrows(ReplyException.class, () -> vertx.eventBus()
        .request(Addresses.feedNode(NODE), "read everything").await(10, TimeUnit.SECONDS));
    assertEquals(400, notJson.failureCode(), "a body that is no JSON object: " + notJson.getMessage());
    call(new JsonObject().put("op", "remove").put("cursor", "c"));
    assertEquals(404, failure(read("c", 0, 10, 0)), "removed");
  }

  @Test
  void aReaderBehindTheRetentionSkipsWhatWasDropped() throws Exception {
    for (int i = 1; i <= 5; i++) {
      journal.append(event(i), Instant.now());
    }
    call(open("c", "beginning"));
    journal.dropUpTo(3);
    JsonObject reply = call(read("c", 0, 10, 0));
    assertEquals(List.of(4L, 5L), seqs(reply));
    assertEquals(4L, reply.getLong("firstSeq"), "the reader can see that 1..3 are gone");
  }

  @Test
  void aHelloIsAnsweredWithTheNodesAnnouncement() throws Exception {
    Future<JsonObject> heard = Future.future(p -> vertx.eventBus().<JsonObject>consumer(Addresses.FEED_NODES,
        m -> p.tryComplete(m.body())).completion().onSuccess(v ->
        vertx.eventBus().publish(Addresses.FEED_HELLO, new JsonObject())));
    JsonObject announcement = heard.await(10, TimeUnit.SECONDS);
    assertEquals(NODE, announcement.getString("node"));
    assertEquals("hermod.feed.node.n1", announcement.getString("address"));
  }

  /**
   * Messages reach the verticle in order and the fake journal answers at once: when a later request is answered,
   * the earlier read has been registered as waiting.
   */
  private void waitUntilWaiting(Future<JsonObject> read) throws Exception {
    assertEquals(404, failure(read("probe-no-such-cursor", 0, 1, 0)));
    assertTrue(!read.isComplete(), "the read at the end was answered at once");
  }

  private static JsonObject open(String cursor, String start) {
    return new JsonObject().put("op", "open").put("cursor", cursor).put("start", start);
  }

  private static JsonObject read(String cursor, long after, int max, long waitMillis) {
    return new JsonObject().put("op", "read").put("cursor", cursor).put("after", after).put("max", max)
        .put("waitMillis", waitMillis);
  }

  private static JsonObject ack(String cursor, long seq) {
    return new JsonObject().put("op", "ack").put("cursor", cursor).put("seq", seq);
  }

  private static JsonObject event(int i) {
    return new JsonObject().put("queueId", "q" + i).put("recipient", "r" + i + "@example.com")
        .put("outcome", "delivered");
  }

  private Future<JsonObject> request(JsonObject body) {
    return vertx.eventBus().<JsonObject>request(Addresses.feedNode(NODE), body,
        new DeliveryOptions().setSendTimeout(10_000)).map(m -> m.body());
  }

  private JsonObject call(JsonObject body) throws Exception {
    return request(body).await(10, TimeUnit.SECONDS);
  }

  private int failure(JsonObject body) {
    ReplyException e = assertThrows(ReplyException.class, () -> call(body));
    return e.failureCode();
  }

  private static List<Long> seqs(JsonObject reply) {
    List<Long> seqs = new ArrayList<>();
    JsonArray events = reply.getJsonArray("events");
    for (int i = 0; i < events.size(); i++) {
      seqs.add(events.getJsonObject(i).getLong("seq"));
    }
    assertTrue(seqs.stream().sorted().toList().equals(seqs), "in seq order: " + seqs);
    return seqs;
  }
}
