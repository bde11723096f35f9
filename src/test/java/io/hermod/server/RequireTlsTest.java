package io.hermod.server;

import io.hermod.spool.Envelope;
import io.hermod.spool.TlsRequest;
import io.hermod.testing.ReceivedMessage;
import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.TestHermod;
import io.hermod.testing.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 8689 REQUIRETLS at the listener: offered and accepted only under TLS (§2), kept in the envelope (§4.1), a
 * {@code TLS-Required: No} field recorded for messages without it (§3); and at the delivery client: passed on to a
 * next hop that offers REQUIRETLS over TLS, failed with 5.7.30 at one that does not (§4.2.1), its DSN REQUIRETLS
 * and without the body (§5).
 */
@Timeout(60)
class RequireTlsTest {

  @TempDir
  Path temp;

  private JsonObject config(int requireTlsPeer, int plainPeer, int senderPeer) {
    return new JsonObject()
        .put("listeners", new JsonArray().add(new JsonObject().put("name", "mx").put("host", "127.0.0.1")
            .put("port", 0).put("role", "mx").put("tls", "starttls")))
        .put("tls", new JsonObject().put("generatedDirectory", temp.resolve("tls").toString()))
        .put("routing", new JsonObject().put("routes", new JsonObject()
            .put("secure.test", "[127.0.0.1]:" + requireTlsPeer)
            .put("plain.test", "[127.0.0.1]:" + plainPeer)
            .put("client.test", "[127.0.0.1]:" + senderPeer)));
  }

  @Test
  void offeredAndAcceptedOnlyUnderTls() throws Exception {
    try (TestHermod h = TestHermod.start(Files.createDirectories(temp.resolve("spool")), config(1, 1, 1))) {
      Path cert = temp.resolve("tls/cert.pem");
      try (TlsSmtpClient c = TlsSmtpClient.plain("127.0.0.1", h.port(), cert)) {
        c.expect(220);
        List<String> ehlo = c.send("EHLO client.test").expect(250);
        assertFalse(ehlo.stream().anyMatch(l -> l.contains("REQUIRETLS")), ehlo.toString());
        c.send("MAIL FROM:<a@client.test> REQUIRETLS").expect("555 5.5.4");
      }
      try (TlsSmtpClient c = TlsSmtpClient.startTls("127.0.0.1", h.port(), cert)) {
        List<String> ehlo = c.send("EHLO client.test").expect(250);
        assertTrue(ehlo.stream().anyMatch(l -> l.endsWith("REQUIRETLS")), ehlo.toString());
        c.send("MAIL FROM:<a@client.test> REQUIRETLS=yes").expect("501 5.5.4");
        c.send("MAIL FROM:<a@client.test> REQUIRETLS").expect("250 2.1.0");
      }
    }
  }

  @Test
  void theFlagAndTheHeaderFieldAreKeptInTheEnvelope() throws Exception {
    Vertx peerVertx = Vertx.vertx();
    // Peers that never accept: the messages stay queued and their envelopes can be read.
    ScriptedSmtpPeer down = new ScriptedSmtpPeer(peerVertx).greeting("421 4.3.2 not now").start().await();
    try (TestHermod h = TestHermod.start(Files.createDirectories(temp.resolve("spool")),
        config(down.port(), down.port(), down.port()))) {
      Path cert = temp.resolve("tls/cert.pem");
      String required;
      String optional;
      String plain;
      try (TlsSmtpClient c = TlsSmtpClient.startTls("127.0.0.1", h.port(), cert)) {
        required = send(c, "MAIL FROM:<a@client.test> REQUIRETLS", "b@secure.test", "TLS-Required: No\r\n");
        optional = send(c, "MAIL FROM:<a@client.test>", "b@secure.test", "tls-required:   NO \r\n");
        plain = send(c, "MAIL FROM:<a@client.test>", "b@secure.test", "X-TLS-Required: No\r\n");
      }
      assertEquals(TlsRequest.REQUIRETLS, envelope(h, required).tlsRequest()); // §4.2.2: REQUIRETLS wins
      assertEquals(TlsRequest.NOT_REQUIRED, envelope(h, optional).tlsRequest());
      assertEquals(TlsRequest.DEFAULT, envelope(h, plain).tlsRequest());
    } finally {
      down.close().await();
      peerVertx.close().await();
    }
  }

  @Test
  void relayedOnlyToANextHopThatOffersRequireTlsOverTls() throws Exception {
    Vertx peerVertx = Vertx.vertx();
    ScriptedSmtpPeer secure = new ScriptedSmtpPeer(peerVertx).startTls(ScriptedSmtpPeer.TlsMode.REAL)
        .capabilities("REQUIRETLS").start().await();
    ScriptedSmtpPeer plain = new ScriptedSmtpPeer(peerVertx).startTls(ScriptedSmtpPeer.TlsMode.REAL).start().await();
    // §5: the DSN about a REQUIRETLS message is REQUIRETLS too: the sender's side must offer it to get it back.
    ScriptedSmtpPeer senders = new ScriptedSmtpPeer(peerVertx).startTls(ScriptedSmtpPeer.TlsMode.REAL)
        .capabilities("REQUIRETLS").start().await();
    try (TestHermod h = TestHermod.start(Files.createDirectories(temp.resolve("spool")),
        config(secure.port(), plain.port(), senders.port()))) {
      Path cert = temp.resolve("tls/cert.pem");
      try (TlsSmtpClient c = TlsSmtpClient.startTls("127.0.0.1", h.port(), cert)) {
        send(c, "MAIL FROM:<a@client.test> REQUIRETLS RET=FULL", "b@secure.test", "");
        send(c, "MAIL FROM:<a@client.test> REQUIRETLS RET=FULL", "b@plain.test", "");
      }
      Wait.until(() -> secure.messages().size() == 1 && senders.messages().size() == 1, "a delivery and a DSN", 30);
      ReceivedMessage relayed = secure.messages().get(0);
      assertTrue(relayed.tls(), "relayed over TLS");
      assertTrue(List.of(relayed.mailFrom().split(" ")).contains("REQUIRETLS"), relayed.mailFrom());
      assertTrue(plain.messages().isEmpty(), "nothing for the hop without REQUIRETLS");
      String dsn = senders.messages().get(0).content().toString(StandardCharsets.UTF_8);
      assertTrue(dsn.contains("Status: 5.7.30"), dsn);
      assertTrue(dsn.contains("REQUIRETLS support required"), dsn);
      // §5: even with RET=FULL the DSN returns the headers only, never the protected body.
      assertFalse(dsn.contains("secret body"), dsn);
      assertTrue(dsn.contains("text/rfc822-headers"), dsn);
      assertTrue(List.of(senders.messages().get(0).mailFrom().split(" ")).contains("REQUIRETLS"),
          senders.messages().get(0).mailFrom());
    } finally {
      secure.close().await();
      plain.close().await();
      senders.close().await();
      peerVertx.close().await();
    }
  }

  private static String send(TlsSmtpClient c, String mail, String rcpt, String extraHeader) throws Exception {
    c.send(mail).expect("250 2.1.0");
    c.send("RCPT TO:<" + rcpt + ">").expect("250 2.1.5");
    c.send("DATA").expect(354);
    String reply = c.send("Subject: t\r\n" + extraHeader + "\r\nsecret body\r\n.").expect("250 2.0.0");
    return reply.substring(reply.lastIndexOf(' ') + 1); // "250 2.0.0 Ok: queued as <id>"
  }

  private static Envelope envelope(TestHermod h, String id) {
    return h.hermod.spool().load(id).toCompletionStage().toCompletableFuture().join();
  }
}
