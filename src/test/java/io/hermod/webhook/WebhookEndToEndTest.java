package io.hermod.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.SmtpLineClient;
import io.hermod.testing.TestHermod;
import io.hermod.testing.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, webhooks for real: a whole Hermod on the real event journal relays mail to a scripted SMTP peer, and a
 * real HTTP receiver on 127.0.0.1 gets every outcome as signed JSON, in journal order; it fails (500s, then a
 * timeout) and recovers without losing an event, Hermod restarts while it is down and resumes from the cursor,
 * and the only duplicates are of POSTs that were not acknowledged.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WebhookEndToEndTest {

  private static final String SECRET = "e2e-webhook-secret-0123456789";
  private static final byte[] MESSAGE = "Subject: t\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

  @TempDir
  Path dir;
  private final Vertx peers = Vertx.vertx();
  private final TestReceiver receiver = new TestReceiver(peers, SECRET.getBytes(StandardCharsets.UTF_8));
  private ScriptedSmtpPeer peer;
  private TestHermod hermod;

  @AfterEach
  void tearDown() {
    if (hermod != null) {
      hermod.close();
    }
    receiver.close().await();
    peers.close().await();
  }

  private void startHermod() {
    hermod = TestHermod.start(dir.resolve("spool"), new JsonObject()
        .put("routing", new JsonObject().put("smarthost", "[127.0.0.1]:" + peer.port()))
        .put("webhooks", new JsonArray().add(new JsonObject()
            .put("name", "outcomes").put("url", receiver.url()).put("secret", SECRET).put("batchSize", 8)
            .put("lingerMillis", 100).put("timeoutMillis", 3000)
            .put("retryInitialMillis", 50).put("retryMaxMillis", 400))));
  }

  /** One message per recipient; r<i>@bounce.test is refused by the peer (550), so the feed carries bounces too. */
  private List<String> send(int from, int to) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      String rcpt = (i % 7 == 0 ? "r" + i + "@bounce.test" : "r" + i + "@remote.test");
      ids.add(SmtpLineClient.transaction(hermod.port(), "s@local.test", "", List.of(rcpt), MESSAGE));
    }
    return ids;
  }

  private long lastSeq() {
    return hermod.hermod.eventJournal().lastSeq();
  }

  private Set<Long> processedSeqs() {
    Set<Long> seqs = new HashSet<>();
    receiver.processedEvents().forEach(e -> seqs.add(e.getLong("seq")));
    return seqs;
  }

  /** The receiver has a final outcome for the first {@code messages} messages and every journal entry so far. */
  private void waitForEverything(int messages, String what) throws Exception {
    Wait.until(() -> countOutcomes() >= messages, what + ": an outcome for every message in the journal", 60);
    long last = lastSeq();
    Wait.until(() -> processedSeqs().containsAll(LongStream.rangeClosed(1, last).boxed().toList()),
        what + ": every journal entry up to " + last + " at the receiver", 60);
  }

  /** Final outcomes (delivered or bounced) of our test recipients, counted from what the receiver got. */
  private long countOutcomes() {
    return receiver.processedEvents().stream()
        .filter(e -> e.getString("recipient", "").startsWith("r"))
        .filter(e -> Set.of("delivered", "bounced").contains(e.getString("outcome")))
        .map(e -> e.getString("queueId")).distinct().count();
  }

  @Test
  void everyOutcomeArrivesSignedInOrderThroughFailuresAndARestartWithDuplicatesOnlyOfUnacknowledgedPosts()
      throws Exception {
    peer = new ScriptedSmtpPeer(peers);
    for (int i = 7; i <= 60; i += 7) {
      peer.on("RCPT TO:<r" + i + "@bounce.test>", "550 5.1.1 no such user");
    }
    peer.start().await();
    receiver.start().await();
    startHermod();

    // 1. A healthy receiver: everything arrives, in order, signed.
    List<String> ids = new ArrayList<>(send(1, 20));
    waitForEverything(20, "healthy");

    // 2. The receiver fails: three 500s, then a POST that never gets an answer (Hermod's 3 s timeout), then recovers.
    receiver.then(TestReceiver.Answer.FAIL, TestReceiver.Answer.FAIL, TestReceiver.Answer.FAIL,
        TestReceiver.Answer.HANG);
    ids.addAll(send(21, 40));
    waitForEverything(40, "after 500s and a timeout");

    // 3. The receiver is down; Hermod stops with events not yet acknowledged and starts again on the same spool.
    receiver.down(true);
    ids.addAll(send(41, 60));
    Wait.until(() -> lastSeq() >= 60, "the last outcomes in the journal", 60);
    int failedBefore = (int) receiver.posts().stream().filter(p -> p.answer() == TestReceiver.Answer.FAIL).count();
    Wait.until(() -> receiver.posts().stream().filter(p -> p.answer() == TestReceiver.Answer.FAIL).count()
        > failedBefore, "a POST refused while down", 30);
    long journaledBeforeRestart = lastSeq();
    hermod.close();
    hermod = null;
    receiver.down(false);
    startHermod();
    assertTrue(hermod.hermod.eventJournal().lastSeq() >= journaledBeforeRestart, "the journal survived the restart");
    waitForEverything(60, "after the restart");

    // Every message's final outcome, by queue id.
    Map<String, String> outcomeById = new HashMap<>();
    receiver.processedEvents().forEach(e -> {
      if (Set.of("delivered", "bounced").contains(e.getString("outcome"))) {
        outcomeById.put(e.getString("queueId"), e.getString("outcome"));
      }
    });
    for (int i = 0; i < ids.size(); i++) {
      assertEquals((i + 1) % 7 == 0 ? "bounced" : "delivered", outcomeById.get(ids.get(i)), "message " + (i + 1));
    }

    // In order, nothing skipped: POSTs follow each other (concurrency 1). After POST p the next one starts either
    // after p (Hermod had p's 2xx) or at p's first seq again (p failed, timed out, or Hermod restarted meanwhile).
    List<TestReceiver.Post> posts = receiver.posts();
    Set<Integer> sentAgain = new HashSet<>();
    assertEquals(1, posts.get(0).firstSeq());
    for (int i = 0; i < posts.size(); i++) {
      TestReceiver.Post p = posts.get(i);
      assertTrue(p.signatureValid(), "signature of POST " + p.number());
      assertEquals("outcomes", p.body().getString("webhook"));
      assertEquals(hermod.hermod.nodeId(), p.body().getString("node"), "the node's feed id, the same across restarts");
      assertEquals("mx.hermod.test", p.body().getString("hostname"));
      JsonArray events = p.body().getJsonArray("events");
      for (int j = 1; j < events.size(); j++) {
        assertEquals(events.getJsonObject(j - 1).getLong("seq") + 1, events.getJsonObject(j).getLong("seq"),
            "consecutive seqs within POST " + p.number());
      }
      if (i + 1 < posts.size()) {
        long next = posts.get(i + 1).firstSeq();
        if (next == p.firstSeq()) {
          sentAgain.add(p.number());
        } else {
          assertEquals(p.body().getLong("lastSeq") + 1, next,
              "POST " + (p.number() + 1) + " follows POST " + p.number());
          assertEquals(TestReceiver.Answer.OK, p.answer(), "only an answered POST is followed by the next events");
        }
      }
    }
    // Duplicates only as documented: the receiver took events twice only from POSTs that Hermod sent again (a 2xx
    // that did not reach it in time); counting the others, every journal entry was taken exactly once.
    List<Long> takenOnce = posts.stream().filter(TestReceiver.Post::processed)
        .filter(p -> !sentAgain.contains(p.number()))
        .flatMap(p -> p.body().getJsonArray("events").stream().map(o -> ((JsonObject) o).getLong("seq"))).toList();
    assertEquals(LongStream.rangeClosed(1, lastSeq()).boxed().toList(), takenOnce);
  }
}
