package io.hermod.local;

import io.hermod.api.Addresses;
import io.hermod.testing.TestHermod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.hermod.local.LocalMail.files;
import static io.hermod.local.LocalMail.latin1;
import static io.hermod.local.LocalMail.queued;
import static io.hermod.local.LocalMail.send;
import static io.hermod.local.LocalMail.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LMTP local delivery into a real, private Dovecot (dovecot-core + dovecot-lmtpd; .ci/run installs them). */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LmtpDovecotTest {

  @TempDir
  Path temp;

  private final byte[] original = ("From: alice@outside.test\r\nTo: bob@local.test\r\nSubject: lmtp\r\n\r\n"
      + "line one\r\n.starts with a dot\r\n..two dots\r\n\u00e9t\u00e9 8-bit\r\n").getBytes(StandardCharsets.UTF_8);

  private JsonObject config(int lmtpPort) {
    return new JsonObject()
        .put("local", new JsonObject().put("transports", new JsonObject()
            .put("local.test", new JsonObject().put("type", "lmtp").put("host", "127.0.0.1").put("port", lmtpPort)))
            .put("timeoutSeconds", 10));
  }

  @Test
  void eachRecipientLandsInDovecotsMaildirOnce() throws Exception {
    PrivateDovecot.require();
    try (PrivateDovecot dovecot = PrivateDovecot.start(temp.resolve("dovecot"),
        List.of("bob@local.test", "carol@local.test"));
         TestHermod h = TestHermod.start(temp.resolve("spool"), config(dovecot.port))) {
      List<JsonObject> events = new CopyOnWriteArrayList<>();
      h.vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> events.add(m.body()));

      String id = send(h.port(), "alice@outside.test", List.of("bob@local.test", "Carol@local.test"), original);

      waitUntil(() -> queued(h.hermod.spool()) == 0, "the message to leave the spool");
      for (String user : List.of("bob", "carol")) {
        List<Path> mails = files(dovecot.maildir("local.test", user).resolve("new"));
        assertEquals(1, mails.size(), user + ": " + mails + "\n" + dovecot.log());
        String stored = latin1(Files.readAllBytes(mails.get(0))).replace("\r\n", "\n");
        assertTrue(stored.startsWith("Return-Path: <alice@outside.test>\n"), stored);
        assertTrue(stored.contains("(Hermod) with ESMTP id " + id + "\n"), stored);
        // Dot-stuffed on the wire, unstuffed by Dovecot: the body arrives as sent (Dovecot stores LF ends).
        assertTrue(stored.endsWith(latin1(original).replace("\r\n", "\n").substring(
            latin1(original).indexOf("Subject: lmtp"))), stored);
      }
      waitUntil(() -> events.size() == 2, "two events");
      for (JsonObject e : events) {
        assertEquals("delivered", e.getString("outcome"), e.encode());
        assertEquals(250, e.getInteger("code"));
        assertEquals("127.0.0.1", e.getString("remoteHost"));
      }
    }
  }

  @Test
  void perRecipientRepliesDecideEachOutcome() throws Exception {
    PrivateDovecot.require();
    try (PrivateDovecot dovecot = PrivateDovecot.start(temp.resolve("dovecot"), List.of("bob@local.test"));
         TestHermod h = TestHermod.start(temp.resolve("spool"), config(dovecot.port))) {
      List<JsonObject> events = new CopyOnWriteArrayList<>();
      h.vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> events.add(m.body()));

      send(h.port(), "alice@outside.test", List.of("ghost@local.test", "bob@local.test"), original);

      try {
        // (the DSN to alice@outside.test adds events of its own: wait for these two recipients)
        waitUntil(() -> events.stream().map(e -> e.getString("recipient")).collect(Collectors.toSet())
            .containsAll(List.of("ghost@local.test", "bob@local.test")), "events for ghost and bob");
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + ": " + events + "\n" + dovecot.log(), e);
      }
      Map<String, JsonObject> byRecipient = events.stream()
          .collect(Collectors.toMap(e -> e.getString("recipient"), e -> e, (first, later) -> first));
      assertEquals("delivered", byRecipient.get("bob@local.test").getString("outcome"));
      JsonObject ghost = byRecipient.get("ghost@local.test");
      assertEquals("bounced", ghost.getString("outcome"), ghost.encode());
      assertEquals(550, ghost.getInteger("code"));
      assertEquals("5.1.1", ghost.getString("status"));
      assertEquals(1, files(dovecot.maildir("local.test", "bob").resolve("new")).size());
    }
  }
}
