package io.hermod;

import io.hermod.events.EventJournal;
import io.hermod.events.JournalEntry;
import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.SmtpLineClient;
import io.hermod.testing.TestHermod;
import io.hermod.testing.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hermod relays to a scripted SMTP peer and every outcome lands in the event journal (docs/events.md): the
 * journal holds one delivered event per message, also after a graceful restart, and seqs go on from there.
 */
class EventJournalEndToEndTest {

  private static final int N = 40;

  @TempDir
  Path temp;
  Vertx peerVertx;
  ScriptedSmtpPeer peer;

  @BeforeEach
  void startPeer() {
    peerVertx = Vertx.vertx();
    peer = new ScriptedSmtpPeer(peerVertx).start().await();
  }

  @AfterEach
  void stopPeer() {
    peerVertx.close().await();
  }

  /**
   * Mail for peer.test goes to the scripted peer. A delivery cut off by a stop is deferred: its retry comes after
   * a second, so that the restarted node delivers it within the test.
   */
  JsonObject relayToPeer() {
    return new JsonObject()
        .put("routing", new JsonObject().put("routes", new JsonObject().put("peer.test", "[127.0.0.1]:" + peer.port())))
        .put("delivery", new JsonObject().put("retryInitialSeconds", 1).put("retrySpreadSeconds", 0));
  }

  /** Submits N messages over SMTP and returns their queue ids. */
  static Set<String> sendAll(TestHermod h) throws Exception {
    Set<String> sent = new HashSet<>();
    for (int i = 0; i < N; i++) {
      sent.add(send(h.port(), i));
    }
    return sent;
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void everyDeliveryIsJournaledAndSurvivesAGracefulRestart() throws Exception {
    Path spool = temp.resolve("spool");
    Set<String> sent;
    try (TestHermod h = TestHermod.start(spool, relayToPeer())) {
      sent = sendAll(h);
      Wait.until(() -> h.hermod.eventJournal().lastSeq() >= N, N + " events journaled", 60);
      List<JournalEntry> entries = readAll(h.hermod.eventJournal());
      assertEquals(N, entries.size());
      assertDelivered(entries, sent);
      assertEquals(N, peer.messages().size());
      h.hermod.cursors().commit("e2e", 25).await();
    }
    assertTrue(Files.isDirectory(spool.resolve("events")), "the journal lives in <spool>/events");

    try (TestHermod again = TestHermod.start(spool, relayToPeer())) {
      EventJournal journal = again.hermod.eventJournal();
      assertEquals(N, journal.lastSeq(), "the seqs survive the restart");
      assertDelivered(readAll(journal), sent);
      assertEquals(java.util.Optional.of(25L), again.hermod.cursors().position("e2e").await(),
          "cursors survive the restart");
      String one = send(again.port(), N);
      Wait.until(() -> journal.lastSeq() == N + 1, "the next event", 30);
      JournalEntry next = journal.read(N, 10, 1 << 20).await().get(0);
      assertEquals(N + 1, next.seq());
      assertEquals(one, next.event().getString("queueId"));
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aGracefulStopWhileDeliveringLosesNoEvent() throws Exception {
    Path spool = temp.resolve("spool");
    Set<String> sent;
    peer.afterData(io.hermod.testing.PeerAction.replyAfter(100, "250 2.0.0 queued")); // deliveries take a while
    try (TestHermod h = TestHermod.start(spool, relayToPeer())) {
      sent = sendAll(h);
      // Stop as soon as half the messages reached the peer: outcomes are being recorded right now.
      Wait.until(() -> peer.messages().size() >= N / 2, "half of the messages delivered", 60);
    }
    try (TestHermod again = TestHermod.start(spool, relayToPeer())) {
      EventJournal journal = again.hermod.eventJournal();
      // What the stop left queued is delivered again (at least once): wait for the spool to empty.
      Wait.until(() -> again.hermod.spool().list().await().isEmpty(), "the rest delivered", 60);
      Wait.until(() -> delivered(journal).containsAll(sent), "a delivered event for every message", 30);
      assertEquals(sent, delivered(journal));
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void noJournalWhenItIsDisabled() throws Exception {
    try (TestHermod h = TestHermod.start(temp.resolve("off"), new JsonObject()
        .put("events", new JsonObject().put("journal", new JsonObject().put("enabled", false))))) {
      assertNull(h.hermod.eventJournal());
      assertNull(h.hermod.cursors());
      assertTrue(!Files.exists(temp.resolve("off").resolve("events")));
    }
  }

  private static Set<String> delivered(EventJournal journal) {
    Set<String> ids = new HashSet<>();
    for (JournalEntry e : readAll(journal)) {
      if ("delivered".equals(e.event().getString("outcome"))) {
        ids.add(e.event().getString("queueId"));
      }
    }
    return ids;
  }

  private static void assertDelivered(List<JournalEntry> entries, Set<String> sent) {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      JsonObject e = entries.get(i).event();
      assertEquals(i + 1, entries.get(i).seq());
      assertEquals("delivered", e.getString("outcome"), e.encode());
      assertEquals(250, e.getInteger("code"), e.encode());
      assertTrue(e.getString("recipient").endsWith("@peer.test"), e.encode());
      ids.add(e.getString("queueId"));
    }
    assertEquals(sent, ids);
  }

  private static List<JournalEntry> readAll(EventJournal journal) {
    List<JournalEntry> all = new ArrayList<>();
    long after = 0;
    for (List<JournalEntry> some = journal.read(after, 7, 1 << 20).await(); !some.isEmpty();
         some = journal.read(after, 7, 1 << 20).await()) {
      all.addAll(some);
      after = some.get(some.size() - 1).seq();
    }
    return all;
  }

  private static String send(int port, int i) throws Exception {
    String reply = SmtpLineClient.transaction(port, "app@local.test", "", List.of("u" + i + "@peer.test"),
        ("Subject: journal " + i + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
    return reply;
  }
}
