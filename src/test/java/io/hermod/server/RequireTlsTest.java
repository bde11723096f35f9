package io.hermod.server;

import io.hermod.spool.Envelope;
import io.hermod.spool.TlsRequest;
import io.hermod.testing.ReceivedMessage;
import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.TestDnsServer;
import io.hermod.testing.TestHermod;
import io.hermod.tls.TestCa;
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
 * next hop authenticated by its TLS policy that offers REQUIRETLS, failed with 5.7.30 at one that does not offer it
 * or that nothing authenticates (§4.2.1), its DSN REQUIRETLS and without the body (§5).
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
    // local.test has no local transport: the messages stay queued and their envelopes can be read.
    try (TestHermod h = TestHermod.start(Files.createDirectories(temp.resolve("spool")), config(1, 1, 1))) {
      Path cert = temp.resolve("tls/cert.pem");
      String required;
      String optional;
      String plain;
      try (TlsSmtpClient c = TlsSmtpClient.startTls("127.0.0.1", h.port(), cert)) {
        required = send(c, "MAIL FROM:<a@client.test> REQUIRETLS", "b@local.test", "TLS-Required: No\r\n");
        optional = send(c, "MAIL FROM:<a@client.test>", "b@local.test", "tls-required:   NO \r\n");
        plain = send(c, "MAIL FROM:<a@client.test>", "b@local.test", "X-TLS-Required: No\r\n");
      }
      assertEquals(TlsRequest.REQUIRETLS, envelope(h, required).tlsRequest()); // §4.2.2: REQUIRETLS wins
      assertEquals(TlsRequest.NOT_REQUIRED, envelope(h, optional).tlsRequest());
      assertEquals(TlsRequest.DEFAULT, envelope(h, plain).tlsRequest());
    }
  }

  /**
   * Three MX hosts on 127.0.0.2-4 (one port), certificates from a CA made here (outboundTls.caFile): secure.test
   * is verified and offers REQUIRETLS; plain.test is verified but does not offer it; open.test is not
   * authenticated at all (no policy: opportunistic). The senders' MX offers REQUIRETLS, so the DSNs come back.
   */
  @Test
  void relayedOnlyToAnAuthenticatedNextHopThatOffersRequireTls() throws Exception {
    Vertx peerVertx = Vertx.vertx();
    TestCa ca = TestCa.create("requiretls");
    ScriptedSmtpPeer secure = peer(peerVertx, ca, "mx.secure.test", "127.0.0.2", 0, "REQUIRETLS");
    int port = secure.port();
    ScriptedSmtpPeer plain = peer(peerVertx, ca, "mx.plain.test", "127.0.0.3", port);
    ScriptedSmtpPeer open = peer(peerVertx, ca, "mx.open.test", "127.0.0.4", port, "REQUIRETLS");
    ScriptedSmtpPeer senders = peer(peerVertx, ca, "mx.client.test", "127.0.0.5", port, "REQUIRETLS");
    TestDnsServer dns = TestDnsServer.start(peerVertx).await();
    List.of("secure", "plain", "open", "client").forEach(d -> dns.mx(d + ".test", 10, "mx." + d + ".test"));
    dns.a("mx.secure.test", "127.0.0.2").a("mx.plain.test", "127.0.0.3").a("mx.open.test", "127.0.0.4")
        .a("mx.client.test", "127.0.0.5");
    JsonObject config = config(1, 1, 1).put("routing", new JsonObject().put("deliveryPort", port))
        .put("dns", new JsonObject().put("resolvers", new JsonArray().add("127.0.0.1:" + dns.address().getPort())))
        .put("outboundTls", new JsonObject().put("caFile", ca.write(temp.resolve("ca.pem")).toString())
            .put("policies", new JsonObject().put("secure.test", "verify").put("plain.test", "verify")
                .put("client.test", "verify")));
    try (TestHermod h = TestHermod.start(Files.createDirectories(temp.resolve("spool")), config)) {
      Path cert = temp.resolve("tls/cert.pem");
      try (TlsSmtpClient c = TlsSmtpClient.startTls("127.0.0.1", h.port(), cert)) {
        send(c, "MAIL FROM:<a@client.test> REQUIRETLS RET=FULL", "b@secure.test", "");
        send(c, "MAIL FROM:<a@client.test> REQUIRETLS RET=FULL", "b@plain.test", "");
        send(c, "MAIL FROM:<a@client.test> REQUIRETLS RET=FULL", "b@open.test", "");
        send(c, "MAIL FROM:<a@client.test>", "c@open.test", ""); // no REQUIRETLS: the usual opportunistic TLS
      }
      Wait.until(() -> secure.messages().size() == 1 && senders.messages().size() == 2 && open.messages().size() == 1,
          "a delivery, two DSNs and the ordinary message", 30);
      ReceivedMessage relayed = secure.messages().get(0);
      assertTrue(relayed.tls(), "relayed over TLS");
      assertTrue(List.of(relayed.mailFrom().split(" ")).contains("REQUIRETLS"), relayed.mailFrom());
      assertTrue(plain.messages().isEmpty(), "nothing for the verified hop without REQUIRETLS");
      assertEquals(List.of("<c@open.test>"), open.messages().get(0).rcptTo().stream()
          .map(r -> r.replaceAll("^RCPT TO:", "").split(" ")[0]).toList(), "only the message without REQUIRETLS");
      List<String> dsns = senders.messages().stream().map(m -> m.content().toString(StandardCharsets.UTF_8)).toList();
      // §4.2.1: the verified hop that lacks REQUIRETLS, and the hop nothing authenticates: both fail with 5.7.30.
      assertTrue(dsns.stream().anyMatch(d -> d.contains("b@plain.test") && d.contains("REQUIRETLS support required")
          && d.contains("did not offer REQUIRETLS")), dsns.toString());
      assertTrue(dsns.stream().anyMatch(d -> d.contains("b@open.test") && d.contains("authenticated by DANE or MTA-STS")),
          dsns.toString());
      for (int i = 0; i < dsns.size(); i++) {
        String dsn = dsns.get(i);
        assertTrue(dsn.contains("Status: 5.7.30"), dsn);
        // §5: even with RET=FULL the DSN returns the headers only, never the protected body.
        assertFalse(dsn.contains("secret body"), dsn);
        assertTrue(dsn.contains("text/rfc822-headers"), dsn);
        assertTrue(List.of(senders.messages().get(i).mailFrom().split(" ")).contains("REQUIRETLS"),
            senders.messages().get(i).mailFrom());
      }
      dns.close().await();
    } finally {
      for (ScriptedSmtpPeer p : List.of(secure, plain, open, senders)) {
        p.close().await();
      }
      peerVertx.close().await();
    }
  }

  /**
   * Two Hermods: A relays a REQUIRETLS message to B (its MX, verified with B's certificate from a CA made here);
   * B offers REQUIRETLS under STARTTLS, accepts the message and keeps the flag in its own envelope, so that it
   * would pass it on too (§4.1). B's local domain has no transport: the message stays in its spool to be read.
   */
  @Test
  void aRoundTripBetweenTwoHermods() throws Exception {
    Vertx dnsVertx = Vertx.vertx();
    TestCa ca = TestCa.create("hermods");
    TestCa.Issued bCert = ca.issue("mx.b.test");
    Path bTls = Files.createDirectories(temp.resolve("b-tls"));
    Files.writeString(bTls.resolve("cert.pem"), bCert.chainPem());
    Files.writeString(bTls.resolve("key.pem"), bCert.keyPem());
    JsonObject b = new JsonObject().put("hostname", "mx.b.test").put("localDomains", new JsonArray().add("b.test"))
        .put("listeners", new JsonArray().add(new JsonObject().put("name", "mx").put("host", "127.0.0.2")
            .put("port", 0).put("role", "mx").put("tls", "starttls")))
        .put("tls", new JsonObject().put("certificateFile", bTls.resolve("cert.pem").toString())
            .put("keyFile", bTls.resolve("key.pem").toString()));
    TestDnsServer dns = TestDnsServer.start(dnsVertx).await();
    try (TestHermod hermodB = TestHermod.start(Files.createDirectories(temp.resolve("spool-b")), b)) {
      dns.mx("b.test", 10, "mx.b.test").a("mx.b.test", "127.0.0.2");
      JsonObject a = config(1, 1, 1).put("routing", new JsonObject().put("deliveryPort", hermodB.port()))
          .put("dns", new JsonObject().put("resolvers", new JsonArray().add("127.0.0.1:" + dns.address().getPort())))
          .put("outboundTls", new JsonObject().put("caFile", ca.write(temp.resolve("ca.pem")).toString())
              .put("policies", new JsonObject().put("b.test", "verify")));
      try (TestHermod hermodA = TestHermod.start(Files.createDirectories(temp.resolve("spool-a")), a)) {
        try (TlsSmtpClient c = TlsSmtpClient.startTls("127.0.0.1", hermodA.port(), temp.resolve("tls/cert.pem"))) {
          send(c, "MAIL FROM:<a@client.test> REQUIRETLS", "bob@b.test", "");
        }
        Wait.until(() -> hermodB.hermod.queueIndex().counts(java.time.Instant.now()).total() == 1
            && hermodA.hermod.queueIndex().counts(java.time.Instant.now()).total() == 0, "relayed from A to B", 30);
        String id = hermodB.hermod.queueIndex().page(null, 0, 10, java.time.Instant.now()).ids().get(0);
        assertEquals(TlsRequest.REQUIRETLS, envelope(hermodB, id).tlsRequest());
      }
    } finally {
      dns.close().await();
      dnsVertx.close().await();
    }
  }

  /** A STARTTLS peer with a certificate for {@code name} from {@code ca}, offering {@code capabilities}. */
  private static ScriptedSmtpPeer peer(Vertx vertx, TestCa ca, String name, String host, int port,
                                       String... capabilities) {
    return new ScriptedSmtpPeer(vertx).startTls(ca.issue(name).keyCertOptions()).capabilities(capabilities)
        .start(host, port).await();
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
