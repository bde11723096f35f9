package io.hermod.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.config.ConfigLoader;
import io.hermod.config.WebhookConfig;
import io.hermod.events.MemoryCursors;
import io.hermod.events.MemoryJournal;
import io.hermod.metrics.HermodMetrics;
import io.hermod.testing.Wait;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The webhook sender against a real HTTP receiver on 127.0.0.1, over the journal and cursor seams (the in-memory
 * fakes of io.hermod.events here; WebhookEndToEndTest runs a whole Hermod on the real journal): order, signature,
 * retries with backoff, the contiguous-prefix commit with concurrency, restarts, lost acknowledgements, failed
 * cursor commits, and bounded memory.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebhookSenderTest {

  private static final String SECRET = "whsec-test-0123456789";

  private final Vertx vertx = Vertx.vertx();
  private final MemoryJournal journal = new MemoryJournal();
  private final MemoryCursors cursors = new MemoryCursors();
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final TestReceiver receiver = new TestReceiver(vertx, SECRET.getBytes(StandardCharsets.UTF_8));
  private String deployment;

  @AfterEach
  void tearDown() {
    if (deployment != null) {
      vertx.undeploy(deployment).await();
    }
    receiver.close().await();
    vertx.close().await();
  }

  private WebhookConfig config(JsonObject extra) {
    JsonObject w = new JsonObject().put("name", "hook").put("url", receiver.url()).put("secret", SECRET)
        .put("lingerMillis", 0).put("retryInitialMillis", 20).put("retryMaxMillis", 200)
        // Far above any answer time on a loaded machine: a timeout here would be a legitimate duplicate.
        .put("timeoutMillis", 30_000)
        .mergeIn(extra);
    return ConfigLoader.fromJson(new JsonObject().put("webhooks", new JsonArray().add(w))).webhooks().get(0);
  }

  private void startSender(WebhookConfig c) {
    deployment = vertx.deployVerticle(new WebhookVerticle(List.of(c),
        Map.of("hook", SECRET.getBytes(StandardCharsets.UTF_8)),
        "node-1", "mx.test", journal, cursors, new HermodMetrics(registry))).await();
  }

  private void stopSender() {
    vertx.undeploy(deployment).await();
    deployment = null;
  }

  private void append(int from, int to) {
    for (int i = from; i <= to; i++) {
      journal.append(new JsonObject().put("queueId", "q" + i).put("recipient", "r" + i + "@x.test")
          .put("outcome", i % 3 == 0 ? "bounced" : "delivered"));
    }
  }

  private long cursor() {
    return cursors.snapshot().getOrDefault("webhook:hook", 0L);
  }

  private double gauge(String name) {
    return registry.get(name).tag("webhook", "hook").gauge().value();
  }

  private double counter(String name, String result) {
    var search = registry.find(name).tag("webhook", "hook");
    if (result != null) {
      search = search.tag("result", result);
    }
    var c = search.counter();
    return c == null ? 0 : c.count();
  }

  private static List<Long> seqs(List<JsonObject> events) {
    return events.stream().map(e -> e.getLong("seq")).toList();
  }

  @Test
  void everyEventArrivesOnceInOrderSignedAndTheCursorFollows() throws Exception {
    receiver.start().await();
    startSender(config(new JsonObject().put("batchSize", 7)
        .put("headers", new JsonObject().put("Authorization", "Bearer abc"))));
    append(1, 50);
    Wait.until(() -> cursor() == 50, "cursor at 50", 10);
    append(51, 60);
    Wait.until(() -> cursor() == 60, "cursor at 60", 10);

    assertEquals(LongStream.rangeClosed(1, 60).boxed().toList(), seqs(receiver.processedEvents()),
        "each event once, in journal order");
    for (TestReceiver.Post p : receiver.posts()) {
      assertTrue(p.signatureValid(), "signature of POST " + p.number());
      assertEquals("hook", p.webhookHeader());
      assertEquals("Bearer abc", p.authorization());
      assertEquals("node-1", p.body().getString("node"));
      assertTrue(p.body().getJsonArray("events").size() <= 7, "batchSize");
      assertEquals("q" + p.firstSeq(), p.body().getJsonArray("events").getJsonObject(0).getString("queueId"));
    }
    TestReceiver.Post first = receiver.posts().get(0);
    byte[] tampered = new String(first.raw(), StandardCharsets.UTF_8).replace("r1@x.test", "r9@x.test")
        .getBytes(StandardCharsets.UTF_8);
    assertTrue(receiver.verify(first.timestamp(), first.raw(), first.signature()), "the POST as sent verifies");
    assertFalse(receiver.verify(first.timestamp(), tampered, first.signature()), "a tampered body does not");
    assertFalse(receiver.verify(first.timestamp() + 1, first.raw(), first.signature()), "nor another timestamp");
    assertEquals(60, counter("hermod.webhook.events", null));
    assertEquals(0, gauge("hermod.webhook.lag.events"));
  }

  @Test
  void aFailingThenHangingReceiverGetsTheSameBatchAgainWithGrowingBackoffAndLosesNothing() throws Exception {
    receiver.start().await();
    receiver.then(TestReceiver.Answer.FAIL, TestReceiver.Answer.FAIL, TestReceiver.Answer.FAIL,
        TestReceiver.Answer.HANG, TestReceiver.Answer.HANG);
    startSender(config(new JsonObject().put("batchSize", 10).put("retryInitialMillis", 40)
        .put("retryMaxMillis", 100_000).put("timeoutMillis", 2000)));
    append(1, 25);
    Wait.until(() -> receiver.posts().size() >= 4, "four attempts", 10);
    assertEquals(0, cursor(), "nothing acknowledged, nothing committed");
    assertTrue(gauge("hermod.webhook.backoff.seconds") > 0, "backing off");
    Wait.until(() -> cursor() == 25, "everything acknowledged after the receiver recovers", 20);

    List<TestReceiver.Post> posts = receiver.posts();
    for (int i = 0; i < 6; i++) {
      assertEquals(1, posts.get(i).firstSeq(), "the failed batch is sent again, unchanged in content: POST " + (i + 1));
      assertEquals(posts.get(0).body().getJsonArray("events"), posts.get(i).body().getJsonArray("events"));
      assertTrue(posts.get(i).signatureValid(), "re-signed for each attempt");
    }
    assertEquals(LongStream.rangeClosed(1, 25).boxed().toList(), seqs(receiver.processedEvents()));
    // 3 answered 500 and 2 never answered (a 500 slower than the timeout on a loaded machine counts as a timeout).
    assertEquals(5, counter("hermod.webhook.posts", "5xx") + counter("hermod.webhook.posts", "timeout"));
    assertTrue(counter("hermod.webhook.posts", "timeout") >= 2, "the hung POSTs timed out");
    assertEquals(0, gauge("hermod.webhook.backoff.seconds"), "back to 0 after a success");
  }

  @Test
  void withConcurrencyTheCursorOnlyCoversTheAcknowledgedPrefix() throws Exception {
    receiver.start().await();
    // The first batch is held; the next two are acknowledged at once; the window (3) is then full.
    receiver.then(TestReceiver.Answer.HOLD, TestReceiver.Answer.OK, TestReceiver.Answer.OK);
    startSender(config(new JsonObject().put("batchSize", 5).put("concurrency", 3)));
    append(1, 40);
    Wait.until(() -> receiver.posts().size() == 3, "three batches in flight", 10);
    Thread.sleep(300); // nothing observable may happen now: give the sender the chance to do it wrong
    assertEquals(3, receiver.posts().size(), "a held head blocks the window at its concurrency, not more");
    assertEquals(0, cursor(), "batches 2 and 3 are acknowledged, but batch 1 is not: the cursor stays");

    receiver.releaseHeld();
    Wait.until(() -> cursor() == 40, "all acknowledged", 10);
    assertEquals(LongStream.rangeClosed(1, 40).boxed().collect(Collectors.toCollection(TreeSet::new)),
        new TreeSet<>(seqs(receiver.processedEvents())));
    assertEquals(40, receiver.processedEvents().size(), "no duplicates when every answer arrives");
  }

  @Test
  void aRestartResumesFromTheCursorAndResendsOnlyWhatWasNotAcknowledged() throws Exception {
    receiver.start().await();
    startSender(config(new JsonObject().put("batchSize", 10)));
    append(1, 30);
    Wait.until(() -> cursor() == 30, "first 30", 10);
    receiver.then(TestReceiver.Answer.FAIL, TestReceiver.Answer.FAIL, TestReceiver.Answer.FAIL,
        TestReceiver.Answer.FAIL, TestReceiver.Answer.FAIL, TestReceiver.Answer.FAIL, TestReceiver.Answer.FAIL);
    append(31, 35);
    Wait.until(() -> receiver.posts().size() >= 5, "failing", 10);
    stopSender();
    append(36, 45); // while no sender runs: it stays in the journal
    int before = receiver.posts().size();

    startSender(config(new JsonObject().put("batchSize", 10)));
    Wait.until(() -> cursor() == 45, "caught up after the restart", 20);
    assertEquals(31, receiver.posts().get(before).firstSeq(), "the first POST after the restart starts at the cursor");
    assertEquals(LongStream.rangeClosed(1, 45).boxed().toList(), seqs(receiver.processedEvents()),
        "nothing lost, nothing twice: the failed batch was never acknowledged");
  }

  @Test
  void aLostAcknowledgementMeansTheBatchComesAgainAndTheReceiverCanDropItBySeq() throws Exception {
    receiver.start().await();
    receiver.then(TestReceiver.Answer.OK, TestReceiver.Answer.LOSE_ANSWER);
    startSender(config(new JsonObject().put("batchSize", 5)));
    append(1, 15);
    Wait.until(() -> cursor() == 15, "all acknowledged", 10);
    List<Long> seen = seqs(receiver.processedEvents());
    assertEquals(20, seen.size(), "the batch whose 200 was lost arrived twice (at-least-once)");
    assertEquals(LongStream.rangeClosed(1, 15).boxed().toList(), seen.stream().distinct().toList(),
        "deduplicated by (node, seq), the receiver has every event once, in order");
    assertEquals(1, counter("hermod.webhook.posts", "error"));
  }

  @Test
  void theOutcomeFilterSendsOnlyWhatIsWantedAndTheCursorMovesOverTheRest() throws Exception {
    receiver.start().await();
    startSender(config(new JsonObject().put("batchSize", 4).put("outcomes", new JsonArray().add("bounced"))));
    append(1, 20);
    Wait.until(() -> cursor() == 20, "cursor over the whole journal", 10);
    assertEquals(List.of(3L, 6L, 9L, 12L, 15L, 18L), seqs(receiver.processedEvents()));
    assertTrue(receiver.processedEvents().stream().allMatch(e -> e.getString("outcome").equals("bounced")));
  }

  @Test
  void aDeadEndpointFallsBehindInTheJournalAndTheLagSaysSoThenItCatchesUp() throws Exception {
    receiver.start().await();
    int port = receiver.port();
    receiver.close().await(); // nothing listens: every connection is refused
    startSender(config(new JsonObject().put("batchSize", 100).put("url", "http://127.0.0.1:" + port + "/h")));
    append(1, 2000);
    Wait.until(() -> counter("hermod.webhook.posts", "error") >= 3, "three refused attempts", 10);
    assertEquals(2000, gauge("hermod.webhook.lag.events"));
    assertEquals(0, cursor());

    TestReceiver back = new TestReceiver(vertx, SECRET.getBytes(StandardCharsets.UTF_8));
    back.start(port).await();
    try {
      Wait.until(() -> cursor() == 2000, "caught up once the endpoint is back", 30);
      assertEquals(LongStream.rangeClosed(1, 2000).boxed().toList(), seqs(back.processedEvents()));
      assertEquals(0, gauge("hermod.webhook.lag.events"));
    } finally {
      back.close().await();
    }
  }

  @Test
  void entriesDroppedByRetentionBeforeTheyWereSentAreCountedAsSkipped() throws Exception {
    receiver.start().await();
    append(1, 10);
    cursors.commit("webhook:hook", 2).await();
    journal.dropUpTo(6);
    startSender(config(new JsonObject()));
    Wait.until(() -> cursor() == 10, "caught up", 10);
    assertEquals(List.of(7L, 8L, 9L, 10L), seqs(receiver.processedEvents()));
    assertEquals(4, counter("hermod.webhook.skipped", null), "seq 3 to 6 are gone");
  }

  @Test
  void aCursorStoreThatRefusesCommitsLosesNothingAndTheCursorCatchesUpWhenItWorksAgain() throws Exception {
    receiver.start().await();
    cursors.failCommits(true);
    startSender(config(new JsonObject().put("batchSize", 5)));
    append(1, 20);
    Wait.until(() -> receiver.processedEvents().size() == 20, "all POSTed and acknowledged", 10);
    assertEquals(0, cursor(), "acknowledged, but not durable yet");
    assertEquals(20, gauge("hermod.webhook.lag.events"), "the lag counts from the durable cursor");
    cursors.failCommits(false);
    Wait.until(() -> cursor() == 20, "the commit retried", 10);
    assertEquals(LongStream.rangeClosed(1, 20).boxed().toList(), seqs(receiver.processedEvents()),
        "a failing commit neither stops the POSTs nor makes them repeat");
  }

  @Test
  void aPartialBatchLingersForMoreEventsAndAFullOneGoesAtOnce() throws Exception {
    receiver.start().await();
    startSender(config(new JsonObject().put("batchSize", 10).put("lingerMillis", 60_000)));
    append(1, 6);
    Thread.sleep(500); // nothing observable may happen: give the sender the chance to send too early
    assertEquals(0, receiver.posts().size(), "6 of 10 wait (lingerMillis is a minute)");
    append(7, 23);
    Wait.until(() -> cursor() == 20, "the two full batches", 10);
    assertEquals(List.of(10, 10), receiver.posts().stream().map(p -> p.body().getJsonArray("events").size()).toList(),
        "full batches go at once; the 3 left over linger");
  }
}
