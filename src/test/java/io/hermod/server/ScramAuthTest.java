package io.hermod.server;

import io.hermod.auth.PasswordHash;
import io.hermod.auth.UserFile;
import io.hermod.testing.TestHermod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AUTH SCRAM-SHA-256 (RFC 5802, RFC 7677, RFC 4954) over STARTTLS on a submission listener, with a client
 * written from the RFC; the users file holds only the usual PBKDF2 hashes.
 */
@Timeout(60)
class ScramAuthTest {

  static final String UNTRUSTED = "127.0.0.2";

  @TempDir
  static Path temp;
  static TestHermod h;
  static Path cert;

  @BeforeAll
  static void start() throws Exception {
    UserFile.write(temp.resolve("users"), Map.of("alice", PasswordHash.create("s3cret", new SecureRandom())));
    h = TestHermod.start(Files.createDirectories(temp.resolve("spool")), config(temp, 1000, 0));
    cert = temp.resolve("tls/cert.pem");
  }

  static JsonObject config(Path dir, int maxFailures, int delayMillis) {
    return new JsonObject()
        .put("listeners", new JsonArray().add(new JsonObject().put("name", "submission").put("host", "127.0.0.1")
            .put("port", 0).put("role", "submission").put("tls", "starttls")))
        .put("tls", new JsonObject().put("generatedDirectory", dir.resolve("tls").toString()))
        .put("auth", new JsonObject().put("usersFile", dir.resolve("users").toString())
            .put("maxFailures", maxFailures).put("failureDelayMillis", delayMillis));
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  static TlsSmtpClient connect(TestHermod server) throws Exception {
    return TlsSmtpClient.startTls(UNTRUSTED, server.hermod.port(0), cert);
  }

  /** The 334's decoded text. */
  static String challenge(TlsSmtpClient c) throws Exception {
    String last = c.expect("334 ");
    return ScramClient.decode(last.substring(4));
  }

  @Test
  void scramIsOfferedOnlyUnderTls() throws Exception {
    try (TlsSmtpClient c = TlsSmtpClient.plain(UNTRUSTED, h.hermod.port(0), cert)) {
      c.expect(220);
      List<String> before = c.send("EHLO client.test").expect(250);
      assertFalse(before.stream().anyMatch(l -> l.contains("SCRAM")), before.toString());
      c.send("AUTH SCRAM-SHA-256 " + TlsSmtpClient.b64("n,,n=alice,r=abc")).expect("538 5.7.11");
      c.send("STARTTLS").expect("220 2.0.0");
      c.startTls();
      List<String> after = c.send("EHLO client.test").expect(250);
      assertTrue(after.contains("250 AUTH PLAIN LOGIN SCRAM-SHA-256"), after.toString());
      assertFalse(after.stream().anyMatch(l -> l.contains("-PLUS")), after.toString());
    }
  }

  @Test
  void theRightPasswordAuthenticatesAndTheServerProvesItKnowsIt() throws Exception {
    try (TlsSmtpClient c = connect(h)) {
      ScramClient scram = new ScramClient("alice", "s3cret", "fyko+d2lbbFgONRv9qkxdawL");
      c.send("AUTH SCRAM-SHA-256 " + TlsSmtpClient.b64(scram.clientFirst()));
      String serverFirst = challenge(c);
      assertTrue(serverFirst.matches("r=fyko\\+d2lbbFgONRv9qkxdawL[!-+\\--~]{16,},s=[A-Za-z0-9+/=]+,i=210000"), serverFirst);
      c.send(TlsSmtpClient.b64(scram.clientFinal(serverFirst)));
      assertEquals(scram.expectedServerFinal(), challenge(c)); // RFC 4954 §4: the server-final as a 334
      c.send("").expect("235 2.7.0");
      c.send("MAIL FROM:<alice@client.test>").expect("250 2.1.0"); // the submission port now takes mail
      c.send("AUTH PLAIN " + TlsSmtpClient.b64("\0alice\0s3cret")).expect("503 5.5.1");
    }
  }

  @Test
  void withoutAnInitialResponseTheFirstChallengeIsEmpty() throws Exception {
    try (TlsSmtpClient c = connect(h)) {
      ScramClient scram = new ScramClient("alice", "s3cret", "abcdefgh");
      c.send("AUTH SCRAM-SHA-256").expect("334");
      c.send(TlsSmtpClient.b64(scram.clientFirst()));
      c.send(TlsSmtpClient.b64(scram.clientFinal(challenge(c))));
      assertEquals(scram.expectedServerFinal(), challenge(c));
      c.send("").expect("235 2.7.0");
    }
  }

  @Test
  void aWrongPasswordAndAnUnknownUserGetTheSameRefusal() throws Exception {
    String unknownSalt = null;
    for (String[] attempt : new String[][] {{"alice", "wrong"}, {"nobody", "s3cret"}, {"nobody", "again"}}) {
      try (TlsSmtpClient c = connect(h)) {
        ScramClient scram = new ScramClient(attempt[0], attempt[1], "nonce123");
        c.send("AUTH SCRAM-SHA-256 " + TlsSmtpClient.b64(scram.clientFirst()));
        String serverFirst = challenge(c);
        // An unknown name gets a salt and iteration count like a real user's, the same salt each time.
        Map<String, String> a = ScramClient.attributes(serverFirst);
        assertEquals("210000", a.get("i"));
        assertEquals(16, java.util.Base64.getDecoder().decode(a.get("s")).length);
        if (attempt[0].equals("nobody")) {
          assertTrue(unknownSalt == null || unknownSalt.equals(a.get("s")), serverFirst);
          unknownSalt = a.get("s");
        }
        c.send(TlsSmtpClient.b64(scram.clientFinal(serverFirst)));
        assertEquals("535 5.7.8 Authentication credentials invalid", c.expect("535 5.7.8"));
        c.send("MAIL FROM:<x@client.test>").expect("530 5.7.0"); // not authenticated
      }
    }
  }

  @Test
  void cancellingAndChannelBindingAreRefused() throws Exception {
    try (TlsSmtpClient c = connect(h)) {
      ScramClient scram = new ScramClient("alice", "s3cret", "nonce123");
      c.send("AUTH SCRAM-SHA-256 " + TlsSmtpClient.b64(scram.clientFirst()));
      challenge(c);
      c.send("*").expect("501 5.0.0 Authentication cancelled");
      c.send("AUTH SCRAM-SHA-256 " + TlsSmtpClient.b64("p=tls-unique,,n=alice,r=nonce123")).expect("535 5.7.8");
      c.send("AUTH SCRAM-SHA-256 " + TlsSmtpClient.b64("n,,n=alice,r=nonce123"));
      challenge(c);
      c.send(TlsSmtpClient.b64("c=biws,r=nonce123,p=AAAA")).expect("535 5.7.8"); // not our nonce
      c.send("AUTH SCRAM-SHA-256 not-base64!").expect("501 5.5.2");
      c.send("QUIT").expect(221);
    }
  }

  @Test
  void wrongProofsCountInTheBruteForceThrottle(@TempDir Path dir) throws Exception {
    Files.copy(temp.resolve("users"), dir.resolve("users"));
    Files.createDirectories(dir.resolve("tls"));
    Files.copy(temp.resolve("tls/cert.pem"), dir.resolve("tls/cert.pem"));
    Files.copy(temp.resolve("tls/key.pem"), dir.resolve("tls/key.pem"));
    try (TestHermod strict = TestHermod.start(Files.createDirectories(dir.resolve("spool")), config(dir, 2, 50));
         TlsSmtpClient c = connect(strict)) {
      for (int i = 1; i <= 2; i++) {
        ScramClient scram = new ScramClient("alice", "wrong-" + i, "nonce" + i);
        c.send("AUTH SCRAM-SHA-256 " + TlsSmtpClient.b64(scram.clientFirst()));
        c.send(TlsSmtpClient.b64(scram.clientFinal(challenge(c))));
        c.expect(i == 1 ? "535 5.7.8" : "421 4.7.0 Too many authentication failures");
      }
      assertNull(c.reply()); // closed
    }
  }
}
