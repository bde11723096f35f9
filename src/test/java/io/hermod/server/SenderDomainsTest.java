package io.hermod.server;

import io.hermod.auth.PasswordHash;
import io.hermod.auth.UserFile;
import io.hermod.testing.TestHermod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * auth.restrictSenderDomains over real TLS sessions: a user's domains are its login's domain (when the login
 * is an address) plus those listed in the users file; off by default.
 */
@Timeout(60)
class SenderDomainsTest {

  @TempDir
  Path temp;
  @TempDir
  static Path tls; // shared: the certificate is generated once for both tests

  private JsonObject config(Boolean restrict) throws Exception {
    SecureRandom random = new SecureRandom();
    Map<String, UserFile.Entry> users = new LinkedHashMap<>();
    users.put("alice@a.example", new UserFile.Entry(PasswordHash.create("s3cret", random)));
    users.put("bob", new UserFile.Entry(PasswordHash.create("s3cret", random), List.of("b.example", "c.example")));
    UserFile.writeEntries(temp.resolve("users"), users);
    JsonObject auth = new JsonObject().put("usersFile", temp.resolve("users").toString()).put("failureDelayMillis", 0);
    if (restrict != null) {
      auth.put("restrictSenderDomains", restrict);
    }
    return new JsonObject()
        .put("listeners", new JsonArray().add(new JsonObject().put("name", "submission").put("host", "127.0.0.1")
            .put("port", 0).put("role", "submission").put("tls", "starttls")))
        .put("tls", new JsonObject().put("generatedDirectory", tls.toString()))
        .put("auth", auth);
  }

  private TlsSmtpClient login(TestHermod h, String user) throws Exception {
    TlsSmtpClient c = TlsSmtpClient.startTls("127.0.0.2", h.hermod.port(0), tls.resolve("cert.pem"));
    c.send("AUTH PLAIN " + TlsSmtpClient.b64("\0" + user + "\0s3cret")).expect("235 2.7.0");
    return c;
  }

  @Test
  void anAuthenticatedUserMaySendOnlyFromItsOwnDomains() throws Exception {
    try (TestHermod h = TestHermod.start(Files.createDirectories(temp.resolve("spool")), config(true))) {
      try (TlsSmtpClient c = login(h, "alice@a.example")) {
        assertEquals("553 5.7.1 Sender address rejected: not owned by user alice@a.example",
            c.send("MAIL FROM:<alice@b.example>").expect("553 5.7.1"));
        c.send("MAIL FROM:<x@sub.a.example>").expect("553 5.7.1"); // exactly the domain, no subdomains
        c.send("MAIL FROM:<other@A.Example>").expect("250 2.1.0"); // any local part, domain case ignored
        c.send("RCPT TO:<bob@local.test>").expect("250 2.1.5");
        c.send("DATA").expect(354);
        c.send("Subject: t").send("").send("hi").send(".");
        assertTrue(c.expect(250).get(0).startsWith("250 2.0.0 OK: queued as "));
        c.send("MAIL FROM:<>").expect("250 2.1.0"); // the null sender (bounces, auto-replies) is allowed
        c.send("RSET").expect(250);
      }
      try (TlsSmtpClient c = login(h, "bob")) {
        c.send("MAIL FROM:<bob@b.example>").expect("250 2.1.0");
        c.send("RSET").expect(250);
        c.send("MAIL FROM:<bob@c.example>").expect("250 2.1.0");
        c.send("RSET").expect(250);
        assertEquals("553 5.7.1 Sender address rejected: not owned by user bob",
            c.send("MAIL FROM:<bob@a.example>").expect("553 5.7.1"));
      }
      // SCRAM carries the user's domains too.
      try (TlsSmtpClient c = TlsSmtpClient.startTls("127.0.0.2", h.hermod.port(0), tls.resolve("cert.pem"))) {
        ScramClient scram = new ScramClient("bob", "s3cret", "nonce-bob");
        c.send("AUTH SCRAM-SHA-256 " + TlsSmtpClient.b64(scram.clientFirst()));
        c.send(TlsSmtpClient.b64(scram.clientFinal(ScramAuthTest.challenge(c))));
        ScramAuthTest.challenge(c);
        c.send("").expect("235 2.7.0");
        c.send("MAIL FROM:<bob@a.example>").expect("553 5.7.1");
        c.send("MAIL FROM:<bob@c.example>").expect("250 2.1.0");
      }
    }
  }

  @Test
  void offByDefault() throws Exception {
    try (TestHermod h = TestHermod.start(Files.createDirectories(temp.resolve("spool")), config(null));
         TlsSmtpClient c = login(h, "alice@a.example")) {
      c.send("MAIL FROM:<alice@b.example>").expect("250 2.1.0");
    }
  }
}
