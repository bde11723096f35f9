package io.hermod.local;

import io.hermod.api.Addresses;
import io.hermod.spool.RecipientState;
import io.hermod.testing.TestHermod;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.hermod.local.LocalMail.files;
import static io.hermod.local.LocalMail.latin1;
import static io.hermod.local.LocalMail.queued;
import static io.hermod.local.LocalMail.send;
import static io.hermod.local.LocalMail.waitUntil;
import static io.hermod.local.LocalMail.withoutReceived;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Local delivery through a whole Hermod: SMTP in, the router, local delivery into Maildir or the bus. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalDeliveryTest {

  private static final String BUS = "hermod.local.apps.test";

  @TempDir
  Path temp;

  private final byte[] original = ("From: alice@outside.test\r\nTo: bob@local.test\r\nSubject: local\r\n\r\n"
      + "line one\r\n.starts with a dot\r\n\u00e9t\u00e9 8-bit\r\n").getBytes(StandardCharsets.UTF_8);

  /** local.test → Maildir under temp/mail, apps.test → the bus; retries after one second. */
  private JsonObject config(int inlineMaxBytes) {
    return new JsonObject()
        .put("localDomains", new JsonArray().add("local.test").add("apps.test"))
        .put("delivery", new JsonObject().put("retryInitialSeconds", 1).put("retryMaxSeconds", 1)
            .put("scanIntervalSeconds", 1).put("delayWarningSeconds", 0))
        .put("local", new JsonObject()
            .put("transports", new JsonObject()
                .put("local.test", new JsonObject().put("type", "maildir")
                    .put("directory", temp.resolve("mail").toString() + "/%d/%u"))
                .put("apps.test", new JsonObject().put("type", "bus").put("address", BUS)))
            .put("timeoutSeconds", 2).put("inlineMaxBytes", inlineMaxBytes));
  }

  private Path maildir(String domain, String user) {
    return temp.resolve("mail").resolve(domain).resolve(user);
  }

  @Test
  void maildirDeliveryIsExactlyOnceWithTraceFieldsAndExactBody() throws Exception {
    try (TestHermod h = TestHermod.start(temp.resolve("spool"), config(262144))) {
      List<JsonObject> events = new CopyOnWriteArrayList<>();
      h.vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> events.add(m.body()));

      String id = send(h.port(), "alice@outside.test", List.of("Bob@local.test"), original);

      waitUntil(() -> queued(h.hermod.spool()) == 0, "the message to leave the spool");
      List<Path> delivered = files(maildir("local.test", "bob").resolve("new"));
      assertEquals(1, delivered.size(), delivered.toString());
      assertEquals(List.of(), files(maildir("local.test", "bob").resolve("tmp")));
      assertTrue(Files.isDirectory(maildir("local.test", "bob").resolve("cur")));
      String stored = latin1(Files.readAllBytes(delivered.get(0)));
      String head = "Return-Path: <alice@outside.test>\r\nDelivered-To: Bob@local.test\r\n";
      assertTrue(stored.startsWith(head + "Received: from client.test ([127.0.0.1])\r\n\tby mx.hermod.test"), stored);
      assertTrue(stored.contains("(Hermod) with ESMTP id " + id + "\r\n"), stored);
      assertArrayEquals(original, withoutReceived(stored.substring(head.length())).getBytes(StandardCharsets.ISO_8859_1));

      waitUntil(() -> !events.isEmpty(), "the delivered event");
      assertEquals("delivered", events.get(0).getString("outcome"));
      assertEquals(id, events.get(0).getString("queueId"));
      assertEquals(250, events.get(0).getInteger("code"));
      // Exactly once: nothing more arrives after the spool scan has run again.
      Thread.sleep(1500);
      assertEquals(1, files(maildir("local.test", "bob").resolve("new")).size());
    }
  }

  @Test
  void aMaildirWriteErrorDefersAndLeavesNothingBehind() throws Exception {
    Path notADirectory = Files.writeString(temp.resolve("plain-file"), "x");
    JsonObject config = config(262144);
    config.getJsonObject("local").getJsonObject("transports").put("local.test",
        new JsonObject().put("type", "maildir").put("directory", notADirectory + "/%d/%u"));
    try (TestHermod h = TestHermod.start(temp.resolve("spool"), config)) {
      List<JsonObject> events = new CopyOnWriteArrayList<>();
      h.vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> events.add(m.body()));

      String id = send(h.port(), "alice@outside.test", List.of("bob@local.test"), original);

      waitUntil(() -> !events.isEmpty(), "an event");
      assertEquals("deferred", events.get(0).getString("outcome"), events.get(0).encode());
      assertEquals(451, events.get(0).getInteger("code"));
      assertEquals("4.3.0", events.get(0).getString("status"));
      assertEquals(RecipientState.DEFERRED, h.hermod.spool().load(id).await().recipients().get(0).state());
      assertEquals("x", Files.readString(notADirectory));
    }
  }

  @Test
  void busConsumerAcknowledgesAndGetsTheMessageInline() throws Exception {
    try (TestHermod h = TestHermod.start(temp.resolve("spool"), config(262144))) {
      List<JsonObject> requests = new CopyOnWriteArrayList<>();
      h.vertx.eventBus().<JsonObject>consumer(BUS, m -> {
        requests.add(m.body());
        m.reply(new JsonObject().put("ok", true));
      }).completion().await();

      String id = send(h.port(), "alice@outside.test", List.of("orders@apps.test", "refunds@apps.test"), original);

      waitUntil(() -> queued(h.hermod.spool()) == 0, "the message to leave the spool");
      assertEquals(1, requests.size());
      JsonObject r = requests.get(0);
      assertEquals(id, r.getString("queueId"));
      assertEquals("alice@outside.test", r.getString("sender"));
      assertEquals(new JsonArray().add("orders@apps.test").add("refunds@apps.test"), r.getJsonArray("recipients"));
      byte[] content = Base64.getDecoder().decode(r.getString("contentBase64"));
      assertEquals(content.length, r.getLong("length"));
      assertTrue(latin1(content).startsWith("Received: from client.test"), latin1(content));
      assertArrayEquals(original, withoutReceived(latin1(content)).getBytes(StandardCharsets.ISO_8859_1));
    }
  }

  @Test
  void bigMessagesTravelAsASpoolFileReference() throws Exception {
    try (TestHermod h = TestHermod.start(temp.resolve("spool"), config(16))) {
      List<byte[]> read = new CopyOnWriteArrayList<>();
      h.vertx.eventBus().<JsonObject>consumer(BUS, m -> readReferenceThenAck(h, m, read)).completion().await();

      send(h.port(), "alice@outside.test", List.of("orders@apps.test"), original);

      waitUntil(() -> queued(h.hermod.spool()) == 0, "the message to leave the spool");
      assertEquals(1, read.size());
      assertArrayEquals(original, withoutReceived(latin1(read.get(0))).getBytes(StandardCharsets.ISO_8859_1));
    }
  }

  @Test
  void fieldsMadeAtAcceptanceComeFirstInlineAndBesideAReference() throws Exception {
    // Nobody trusted: the mail is from "another server", so it gets an Authentication-Results field.
    String expected = "Authentication-Results: mx.hermod.test;\r\n\tdkim=none\r\n";
    for (int inlineMax : new int[] {262144, 16}) {
      JsonObject config = config(inlineMax).put("trustedNetworks", new JsonArray());
      try (TestHermod h = TestHermod.start(temp.resolve("spool" + inlineMax), config)) {
        List<JsonObject> requests = new CopyOnWriteArrayList<>();
        h.vertx.eventBus().<JsonObject>consumer(BUS, m -> {
          requests.add(m.body());
          m.reply(null);
        }).completion().await();

        send(h.port(), "alice@outside.test", List.of("orders@apps.test"), original);

        waitUntil(() -> queued(h.hermod.spool()) == 0, "the message to leave the spool");
        JsonObject r = requests.get(0);
        if (r.containsKey("contentBase64")) {
          String content = latin1(Base64.getDecoder().decode(r.getString("contentBase64")));
          assertEquals(content.length(), r.getLong("length"));
          assertTrue(content.startsWith(expected + "Received: from client.test"), content);
        } else {
          assertEquals(inlineMax, 16);
          assertEquals(expected, r.getString("prependHeaders"));
          assertEquals(expected.length() + r.getLong("contentLength"), r.getLong("length"));
        }
      }
    }
  }

  /** What the docs ask of a consumer: read the range off the event loop, then acknowledge. */
  private static void readReferenceThenAck(TestHermod h, Message<JsonObject> m, List<byte[]> read) {
    JsonObject body = m.body();
    h.vertx.executeBlocking(() -> {
      byte[] all = Files.readAllBytes(Path.of(body.getString("contentFile")));
      int from = (int) (long) body.getLong("contentOffset");
      return java.util.Arrays.copyOfRange(all, from, from + (int) (long) body.getLong("contentLength"));
    }).onSuccess(bytes -> {
      read.add(bytes);
      m.reply(null);
    });
  }

  @Test
  void withoutAConsumerTheMessageStaysQueuedUntilOneAppears() throws Exception {
    try (TestHermod h = TestHermod.start(temp.resolve("spool"), config(262144))) {
      List<JsonObject> events = new CopyOnWriteArrayList<>();
      h.vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> events.add(m.body()));

      String id = send(h.port(), "alice@outside.test", List.of("orders@apps.test"), original);

      waitUntil(() -> events.stream().anyMatch(e -> "deferred".equals(e.getString("outcome"))), "a deferral");
      JsonObject deferred = events.get(0);
      assertEquals(451, deferred.getInteger("code"));
      assertTrue(deferred.getString("text").contains("no consumer at " + BUS), deferred.encode());
      assertEquals(RecipientState.DEFERRED, h.hermod.spool().load(id).await().recipients().get(0).state());

      List<JsonObject> requests = new CopyOnWriteArrayList<>();
      h.vertx.eventBus().<JsonObject>consumer(BUS, m -> {
        requests.add(m.body());
        m.reply(null);
      }).completion().await();

      waitUntil(() -> queued(h.hermod.spool()) == 0, "delivery once a consumer is there");
      assertEquals(1, requests.size());
      assertEquals(id, requests.get(0).getString("queueId"));
      waitUntil(() -> events.stream().anyMatch(e -> "delivered".equals(e.getString("outcome"))), "delivered event");
    }
  }

  @Test
  void aPermanentRefusalBouncesAndTheDsnIsDeliveredToTheLocalSender() throws Exception {
    try (TestHermod h = TestHermod.start(temp.resolve("spool"), config(262144))) {
      h.vertx.eventBus().<JsonObject>consumer(BUS, m -> m.fail(550, "no such order queue")).completion().await();

      String id = send(h.port(), "alice@local.test", List.of("orders@apps.test"), original);

      waitUntil(() -> files(maildir("local.test", "alice").resolve("new")).size() == 1
          && queued(h.hermod.spool()) == 0, "the DSN in alice's Maildir");
      String dsn = latin1(Files.readAllBytes(files(maildir("local.test", "alice").resolve("new")).get(0)));
      assertTrue(dsn.startsWith("Return-Path: <>\r\nDelivered-To: alice@local.test\r\n"), dsn);
      assertTrue(dsn.contains("multipart/report"), dsn);
      assertTrue(dsn.contains("Final-Recipient: rfc822;orders@apps.test")
          || dsn.contains("Final-Recipient: rfc822; orders@apps.test"), dsn);
      assertTrue(dsn.contains("no such order queue"), dsn);
      assertTrue(dsn.contains(id), dsn);
    }
  }
}
