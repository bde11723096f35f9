package io.hermod.server;

import io.hermod.auth.PasswordHash;
import io.hermod.auth.UserFile;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * RFC 4954 §5 end to end: MAIL FROM's AUTH= from an authenticated client is kept in the envelope and passed on to
 * a next hop that offers AUTH; from a client that did not authenticate (a trusted network here) it counts as
 * AUTH=&lt;&gt; and is not passed on; a next hop without AUTH never sees the parameter.
 */
@Timeout(60)
class MailAuthParameterTest {

  @TempDir
  Path temp;

  @Test
  void theSubmitterOfAnAuthenticatedClientGoesToTheNextHopThatOffersAuth() throws Exception {
    Vertx peerVertx = Vertx.vertx();
    ScriptedSmtpPeer withAuth = new ScriptedSmtpPeer(peerVertx).capabilities("AUTH PLAIN").start().await();
    ScriptedSmtpPeer withoutAuth = new ScriptedSmtpPeer(peerVertx).start().await();
    UserFile.write(temp.resolve("users"), Map.of("alice", PasswordHash.create("s3cret", new SecureRandom())));
    JsonObject config = new JsonObject()
        .put("listeners", new JsonArray().add(new JsonObject().put("name", "mx").put("host", "127.0.0.1")
            .put("port", 0).put("role", "mx").put("tls", "starttls")))
        .put("tls", new JsonObject().put("generatedDirectory", temp.resolve("tls").toString()))
        .put("auth", new JsonObject().put("usersFile", temp.resolve("users").toString()))
        .put("routing", new JsonObject().put("routes", new JsonObject()
            .put("auth.test", "[127.0.0.1]:" + withAuth.port())
            .put("plain.test", "[127.0.0.1]:" + withoutAuth.port())));
    try (TestHermod h = TestHermod.start(Files.createDirectories(temp.resolve("spool")), config)) {
      Path cert = temp.resolve("tls/cert.pem");
      try (TlsSmtpClient c = TlsSmtpClient.startTls("127.0.0.2", h.port(), cert)) {
        c.send("AUTH PLAIN " + TlsSmtpClient.b64("\0alice\0s3cret")).expect("235");
        send(c, "MAIL FROM:<alice@client.test> AUTH=alice+2Bsub@client.test", "bob@auth.test");
        send(c, "MAIL FROM:<alice@client.test> AUTH=alice@client.test", "bob@plain.test");
      }
      try (TlsSmtpClient c = TlsSmtpClient.startTls("127.0.0.1", h.port(), cert)) { // trusted, not authenticated
        send(c, "MAIL FROM:<app@client.test> AUTH=ceo@client.test", "carol@auth.test");
      }
      Wait.until(() -> withAuth.messages().size() == 2 && withoutAuth.messages().size() == 1, "three deliveries", 30);
      List<String> toAuth = withAuth.messages().stream().map(ReceivedMessage::mailFrom).sorted().toList();
      assertEquals(List.of("MAIL FROM:<alice@client.test> AUTH=alice+2Bsub@client.test",
          "MAIL FROM:<app@client.test>"), toAuth.stream().map(MailAuthParameterTest::withoutSize).toList());
      assertEquals("MAIL FROM:<alice@client.test>", withoutSize(withoutAuth.messages().get(0).mailFrom()));
    } finally {
      withAuth.close().await();
      withoutAuth.close().await();
      peerVertx.close().await();
    }
  }

  private static void send(TlsSmtpClient c, String mail, String rcpt) throws Exception {
    c.send(mail).expect("250 2.1.0");
    c.send("RCPT TO:<" + rcpt + ">").expect("250 2.1.5");
    c.send("DATA").expect(354);
    c.send("Subject: t\r\n\r\nbody\r\n.").expect("250 2.0.0");
  }

  /** The peer offers no SIZE, but be robust to the client's other parameters: keep MAIL FROM and AUTH only. */
  private static String withoutSize(String mailLine) {
    return String.join(" ", java.util.Arrays.stream(mailLine.split(" "))
        .filter(p -> !p.toUpperCase(java.util.Locale.ROOT).startsWith("SIZE=")).toList());
  }
}
