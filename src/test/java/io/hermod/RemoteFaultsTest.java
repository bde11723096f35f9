package io.hermod;

import io.hermod.api.Addresses;
import io.hermod.spool.Envelope;
import io.hermod.testing.PeerAction;
import io.hermod.testing.ReceivedMessage;
import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.TestDnsServer;
import io.hermod.testing.TestHermod;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.hermod.ReliabilityFixture.message;
import static io.hermod.ReliabilityFixture.messageId;
import static io.hermod.ReliabilityFixture.sendAccepted;
import static io.hermod.ReliabilityFixture.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Remote faults, each through the real listener, spool, router and delivery to a {@link ScriptedSmtpPeer}:
 * the message ends where it should (delivered exactly once, or bounced to its sender), nothing is lost, and
 * no outbound connection is left open.
 */
class RemoteFaultsTest {

  private static final String SENDER = "alice@local.test";
  private static final String RECIPIENT = "bob@peer.test";

  @TempDir
  Path temp;

  private Vertx peerVertx;
  private ScriptedSmtpPeer peer;
  private TestHermod hermod;
  private final List<JsonObject> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void createPeer() {
    peerVertx = Vertx.vertx();
    peer = new ScriptedSmtpPeer(peerVertx);
  }

  @AfterEach
  void stopAll() {
    try {
      if (hermod != null) {
        hermod.close();
      }
    } finally {
      peer.close().await();
      peerVertx.close().await();
    }
  }

  /**
   * Hermod routing peer.test to the peer, retrying after about a second, scanning the spool every second,
   * one message per connection (so every connection ends with QUIT as soon as its message is done), and
   * short client timeouts.
   */
  private void startHermod(JsonObject deliveryOverrides) {
    startHermod(deliveryOverrides, new JsonObject()
        .put("routing", new JsonObject().put("routes", new JsonObject().put("peer.test", "[127.0.0.1]:" + peer.port()))));
  }

  private void startHermod(JsonObject deliveryOverrides, JsonObject other) {
    JsonObject delivery = new JsonObject()
        .put("retryInitialSeconds", 1).put("retryMaxSeconds", 2).put("scanIntervalSeconds", 1)
        .put("maxMessagesPerConnection", 1).put("requeueDelayMillis", 200).put("suspendSeconds", 1)
        .put("connectTimeoutSeconds", 5).put("commandTimeoutSeconds", 5).put("dataTimeoutSeconds", 5)
        .mergeIn(deliveryOverrides);
    hermod = TestHermod.start(temp.resolve("spool"), other.copy().put("delivery", delivery));
    hermod.vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> events.add(m.body()));
  }

  private String sendOne(String messageId) throws Exception {
    return sendAccepted(hermod.port(), SENDER, RECIPIENT, message(messageId, "reliability"));
  }

  /** The message reached the peer exactly once, the spool is empty, and no connection is left open. */
  private void assertDeliveredOnce(String messageId) throws Exception {
    waitUntil(() -> hermod.hermod.spool().list().await().isEmpty() && peer.openSessions() == 0,
        "an empty spool and no open connection", 30);
    List<String> ids = peer.messages().stream().filter(m -> m.reply().startsWith("250"))
        .map(ReliabilityFixture::messageId).toList();
    assertEquals(List.of(messageId), ids, "accepted by the peer");
    assertTrue(outcomes().contains("delivered"), "events: " + events);
  }

  private List<String> outcomes() {
    return events.stream().map(e -> e.getString("outcome")).toList();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void greylistingIsRetriedAndDelivered() throws Exception {
    peer.on("RCPT", "451 4.7.1 greylisted, try again in a second", "250 2.1.5 ok").start().await();
    startHermod(new JsonObject());
    sendOne("<grey@client.test>");
    assertDeliveredOnce("<grey@client.test>");
    assertEquals(List.of("deferred", "delivered"), outcomes());
    assertTrue(peer.sessions().size() >= 2);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void a421AfterMailClosesTheConnectionAndIsRetried() throws Exception {
    peer.on("MAIL", "421 4.3.2 shutting down", "250 2.1.0 ok").start().await();
    startHermod(new JsonObject());
    sendOne("<421@client.test>");
    assertDeliveredOnce("<421@client.test>");
    assertEquals("deferred", outcomes().get(0));
    assertTrue(peer.sessions().get(0).closed(), "the connection that got 421 is closed");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aConnectionDroppedInTheMiddleOfDataIsRetried() throws Exception {
    peer.dropDuringData(100).start().await();
    startHermod(new JsonObject());
    sendOne("<dropped@client.test>");
    waitUntil(() -> !peer.sessions().isEmpty() && peer.sessions().get(0).closed(), "the dropped session", 30);
    assertTrue(peer.messages().isEmpty(), "a dropped DATA is no message");
    peer.dropDuringData(-1); // the peer behaves again
    assertDeliveredOnce("<dropped@client.test>");
    assertEquals("deferred", outcomes().get(0));
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aPeerThatNeverSpeaksIsDeferredThenDeliveredWhenItRecovers() throws Exception {
    peer.greeting(PeerAction.silence()).start().await();
    startHermod(new JsonObject().put("commandTimeoutSeconds", 2));
    String id = sendOne("<silent@client.test>");
    waitUntil(() -> outcomes().contains("deferred"), "a deferral", 30);
    // Our client gave up and closed: nothing hangs on either side.
    waitUntil(() -> peer.sessions().get(0).closed(), "the silent session closed by Hermod", 30);
    Envelope deferred = hermod.hermod.spool().load(id).await();
    assertTrue(deferred.recipients().get(0).attempts() >= 1, "attempt recorded: " + deferred.toJson());
    assertTrue(peer.messages().isEmpty());
    peer.greeting("220 peer.test ESMTP back again");
    assertDeliveredOnce("<silent@client.test>");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aPeerTricklingEveryReplyWithinTheTimeoutDelivers() throws Exception {
    // 50 ms per byte: each reply (at most ~30 octets) takes up to 1.5 s, well within the 10 s timeout.
    peer.replyByteDelay(50).start().await();
    startHermod(new JsonObject().put("commandTimeoutSeconds", 10).put("dataTimeoutSeconds", 10));
    sendOne("<slow@client.test>");
    assertDeliveredOnce("<slow@client.test>");
    assertEquals(List.of("delivered"), outcomes(), "delivered at the first attempt");
    assertEquals(1, peer.sessions().size());
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void a552AfterDataBouncesToTheLocalSender() throws Exception {
    peer.afterData("552 5.3.4 message too big for this mailbox").start().await();
    startHermod(new JsonObject());
    String id = sendOne("<toobig@client.test>");
    // The original is removed; the DSN to alice (a local domain: left queued) takes its place.
    waitUntil(() -> {
      List<String> ids = hermod.hermod.spool().list().await();
      return ids.size() == 1 && !ids.get(0).equals(id) && peer.openSessions() == 0;
    }, "the bounce", 30);
    String dsnId = hermod.hermod.spool().list().await().get(0);
    Envelope dsn = hermod.hermod.spool().load(dsnId).await();
    assertEquals("", dsn.sender());
    assertEquals(SENDER, dsn.recipients().get(0).address());
    var content = hermod.hermod.spool().content(dsnId).await();
    String text = new String(Files.readAllBytes(content.file()), (int) content.offset(), (int) content.length(),
        StandardCharsets.ISO_8859_1);
    assertTrue(text.contains("Final-Recipient: rfc822;" + RECIPIENT), text);
    assertTrue(text.contains("Status: 5.3.4"), text);
    assertTrue(text.contains("552 5.3.4 message too big"), text);
    assertEquals(1, peer.messages().size(), "tried once, not retried");
    assertEquals(List.of("bounced"), outcomes(), "events: " + events);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aFailedStartTlsHandshakeFallsBackToPlaintext() throws Exception {
    peer.startTls(ScriptedSmtpPeer.TlsMode.BROKEN).start().await();
    startHermod(new JsonObject());
    sendOne("<notls@client.test>");
    assertDeliveredOnce("<notls@client.test>");
    ReceivedMessage received = peer.messages().get(0);
    assertFalse(received.tls(), "delivered in plaintext");
    assertTrue(peer.sessions().get(0).commands().contains("STARTTLS"), "STARTTLS was tried first");
    assertEquals(List.of("delivered"), outcomes(), "the fallback is part of the same attempt");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aPeerClosingAfterMailIsDeferredThenDelivered() throws Exception {
    peer.on("MAIL", PeerAction.drop(), PeerAction.reply("250 2.1.0 ok")).start().await();
    startHermod(new JsonObject());
    sendOne("<closed@client.test>");
    assertDeliveredOnce("<closed@client.test>");
    assertEquals(List.of("deferred", "delivered"), outcomes());
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void theSecondMxIsUsedWhenTheFirstIsDown() throws Exception {
    peer.start().await();
    // Both MX hosts on the peer's port: the first on 127.0.0.2, a peer that is down (421 at the greeting: RFC
    // 5321 §3.8, try the next MX) and records that it was tried. A refused connection, which leaves no trace
    // to assert on, is covered by DeliveryVerticleTest.refusedConnectionOnFirstHostUsesTheSecond.
    ScriptedSmtpPeer down = new ScriptedSmtpPeer(peerVertx).greeting("421 4.3.2 mx1 is down for maintenance")
        .start("127.0.0.2", peer.port()).await();
    TestDnsServer dns = TestDnsServer.start(peerVertx).await()
        .mx("two.test", 10, "mx1.two.test").a("mx1.two.test", "127.0.0.2")
        .mx("two.test", 20, "mx2.two.test").a("mx2.two.test", "127.0.0.1");
    try {
      startHermod(new JsonObject(), new JsonObject()
          .put("dns", new JsonObject().put("resolvers", new JsonArray().add("127.0.0.1:" + dns.address().getPort())))
          .put("routing", new JsonObject().put("deliveryPort", peer.port())));
      sendAccepted(hermod.port(), SENDER, "carol@two.test", message("<mx2@client.test>", "second mx"));
      waitUntil(() -> hermod.hermod.spool().list().await().isEmpty() && peer.openSessions() == 0,
          "delivery through the second MX", 30);
      assertEquals(List.of("<mx2@client.test>"), peer.messages().stream().map(ReliabilityFixture::messageId).toList());
      assertEquals(List.of("delivered"), outcomes(), "the first MX being down is not a deferral");
      assertEquals("mx2.two.test", events.get(0).getString("remoteHost"));
      assertEquals(1, down.sessions().size(), "the first MX was tried, once");
      assertTrue(down.sessions().get(0).openedAtNanos() < peer.sessions().get(0).openedAtNanos(),
          "the first MX was tried before the second");
    } finally {
      down.close().await();
      dns.close().await();
    }
  }
}
