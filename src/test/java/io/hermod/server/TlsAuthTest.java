package io.hermod.server;

import io.hermod.auth.PasswordHash;
import io.hermod.auth.UserFile;
import io.hermod.spool.Envelope;
import io.hermod.spool.Spool;
import io.hermod.testing.LogCapture;
import io.hermod.testing.TestHermod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * STARTTLS (RFC 3207), implicit TLS (RFC 8314) and AUTH (RFC 4954) against a real listener, with a JDK TLS
 * client that trusts only the certificate Hermod generated at start. Untrusted clients connect from 127.0.0.2.
 */
@Timeout(60)
class TlsAuthTest {

  static final int MX = 0;
  static final int SUBMISSION = 1;
  static final int IMPLICIT = 2;
  static final int PLAIN_ONLY = 3;
  static final String UNTRUSTED = "127.0.0.2";

  @TempDir
  static Path temp;
  static TestHermod h;
  static Path cert;
  static Path users;

  @BeforeAll
  static void start() throws IOException {
    users = temp.resolve("users");
    Map<String, PasswordHash> all = new LinkedHashMap<>();
    all.put("alice", PasswordHash.create("s3cret", new SecureRandom()));
    UserFile.write(users, all);
    h = TestHermod.start(Files.createDirectories(temp.resolve("spool")), config(temp));
    cert = temp.resolve("tls/cert.pem");
  }

  static JsonObject config(Path dir) {
    return new JsonObject()
        .put("listeners", new JsonArray()
            .add(listener("mx", "mx", "starttls"))
            .add(listener("submission", "submission", "starttls"))
            .add(listener("smtps", "submission", "implicit"))
            .add(listener("plain", "mx", "none")))
        .put("tls", new JsonObject().put("generatedDirectory", dir.resolve("tls").toString()))
        // Brute-force limits have their own test (AuthBruteForceTest); here they must not get in the way.
        .put("auth", new JsonObject().put("usersFile", dir.resolve("users").toString()).put("reloadCheckSeconds", 0)
            .put("maxFailures", 1000).put("failureDelayMillis", 0));
  }

  static JsonObject listener(String name, String role, String tls) {
    return new JsonObject().put("name", name).put("host", "127.0.0.1").put("port", 0).put("role", role).put("tls", tls);
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  private static TlsSmtpClient connect(int listener) throws Exception {
    TlsSmtpClient c = TlsSmtpClient.plain(UNTRUSTED, h.hermod.port(listener), cert);
    c.expect(220);
    return c;
  }

  /** EHLO, STARTTLS, handshake, EHLO again; returns the second EHLO's lines. */
  private static List<String> startTls(TlsSmtpClient c) throws IOException {
    c.send("EHLO client.test").expect(250);
    c.send("STARTTLS").expect("220 2.0.0");
    SSLSocket s = c.startTls();
    assertTrue(Set.of("TLSv1.2", "TLSv1.3").contains(s.getSession().getProtocol()), s.getSession().getProtocol());
    return c.send("EHLO client.test").expect(250);
  }

  @Test
  void certificateIsGeneratedAtFirstStartAndReusedAfter() throws Exception {
    String pem = Files.readString(cert);
    assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----"), pem);
    assertEquals(Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(temp.resolve("tls/key.pem")));
    // A second instance with the same directory keeps the certificate.
    try (TestHermod second = TestHermod.start(Files.createDirectories(temp.resolve("spool2")), config(temp))) {
      assertEquals(pem, Files.readString(cert));
      try (TlsSmtpClient c = TlsSmtpClient.implicit(second.hermod.port(IMPLICIT), cert)) {
        c.expect(220); // the handshake succeeded with the trusted, unchanged certificate
      }
    }
  }

  @Test
  void starttlsIsOfferedBeforeTlsAndAuthOnlyAfter() throws Exception {
    try (TlsSmtpClient c = connect(MX)) {
      List<String> before = c.send("EHLO client.test").expect(250);
      assertTrue(before.contains("250-STARTTLS") || before.contains("250 STARTTLS"), before.toString());
      assertFalse(before.stream().anyMatch(l -> l.contains("AUTH")), before.toString());
      c.send("AUTH PLAIN " + TlsSmtpClient.b64("\0alice\0s3cret")).expect("538 5.7.11");
      c.send("STARTTLS").expect("220 2.0.0 Ready to start TLS");
      c.startTls();
      c.send("MAIL FROM:<a@client.test>").expect("503 5.5.1"); // RFC 3207 §4.2: the EHLO is forgotten
      List<String> after = c.send("EHLO client.test").expect(250);
      assertTrue(after.contains("250 AUTH PLAIN LOGIN SCRAM-SHA-256"), after.toString());
      assertFalse(after.stream().anyMatch(l -> l.contains("STARTTLS")), after.toString());
      c.send("STARTTLS").expect("503 5.5.1");
      c.send("QUIT").expect(221);
    }
  }

  @Test
  void commandsPipelinedAfterStarttlsAreDiscarded() throws Exception {
    try (TlsSmtpClient c = connect(MX)) {
      c.send("EHLO client.test").expect(250);
      c.raw("STARTTLS\r\nMAIL FROM:<x@y.test>\r\n"); // one write: CVE-2011-0411
      c.expect("220 2.0.0");
      c.startTls();
      c.send("EHLO client.test").expect(250);
      c.send("RCPT TO:<bob@local.test>").expect("503 5.5.1 Need MAIL"); // the MAIL never ran
    }
  }

  /**
   * MAIL in its own write right after STARTTLS, before the 220 is read. Two outcomes are safe, and which one
   * ran is recorded: the bytes were dropped and the handshake completed (then the MAIL must not have run), or
   * they reached the TLS layer and broke the handshake (then the server must have ended the session as a
   * failed handshake). On both, the session's summary line (from an address no other test uses) must count
   * no MAIL.
   */
  @Test
  void plaintextSentBeforeTheHandshakeInItsOwnWriteNeverRuns() throws Exception {
    String client = "127.0.0.9";
    boolean handshakeCompleted;
    try (LogCapture log = new LogCapture(SessionSummary.class.getName())) {
      try (TlsSmtpClient c = TlsSmtpClient.plain(client, h.hermod.port(MX), cert)) {
        c.expect(220);
        c.send("EHLO client.test").expect(250);
        c.send("STARTTLS");
        c.send("MAIL FROM:<x@y.test>"); // a second segment, before the 220 was read
        c.expect("220 2.0.0");
        try {
          c.startTls();
          handshakeCompleted = true;
        } catch (IOException e) {
          handshakeCompleted = false; // the bytes reached the TLS layer and broke the handshake
        }
        if (handshakeCompleted) {
          c.send("EHLO client.test").expect(250);
          c.send("RCPT TO:<bob@local.test>").expect("503 5.5.1 Need MAIL"); // the MAIL never ran
          c.send("QUIT").expect(221);
        }
      }
      String summary = summaryOf(log, client);
      System.out.println("plaintext after STARTTLS in its own write: handshake "
          + (handshakeCompleted ? "completed, bytes dropped" : "broken by the bytes") + "; " + summary);
      assertFalse(summary.contains(" mail="), "the MAIL ran: " + summary);
      assertTrue(summary.contains(" starttls=1 "), summary);
      assertTrue(summary.endsWith(handshakeCompleted ? " end=quit" : " end=tls-failed"), summary);
    }
  }

  /** The summary line of the one session from {@code client} (logged once the server saw it end). */
  private static String summaryOf(LogCapture log, String client) throws InterruptedException {
    String prefix = "disconnect from [" + client + "]";
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      List<String> lines = log.messages().stream().filter(m -> m.startsWith(prefix)).toList();
      if (!lines.isEmpty()) {
        assertEquals(1, lines.size(), lines.toString());
        return lines.get(0);
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no summary line for the session from " + client);
  }

  @Test
  void authPlainAndLogin() throws Exception {
    try (TlsSmtpClient c = connect(SUBMISSION)) {
      startTls(c);
      String wrong = c.send("AUTH PLAIN " + TlsSmtpClient.b64("\0alice\0wrong")).expect("535 5.7.8");
      String unknown = c.send("AUTH PLAIN " + TlsSmtpClient.b64("\0mallory\0s3cret")).expect("535 5.7.8");
      assertEquals(wrong, unknown); // RFC 4954 §6: nothing tells whether the user exists
      c.send("AUTH PLAIN " + TlsSmtpClient.b64("bob\0alice\0s3cret")).expect("535 5.7.8"); // no proxy auth
      c.send("AUTH CRAM-MD5").expect("504 5.5.4");
      c.send("AUTH PLAIN not*base64").expect("501 5.5.2");
      c.send("AUTH PLAIN").expect(334);
      c.send("*").expect("501 5.0.0");
      c.send("AUTH LOGIN").expect("334 VXNlcm5hbWU6");
      c.send(TlsSmtpClient.b64("alice")).expect("334 UGFzc3dvcmQ6");
      c.send(TlsSmtpClient.b64("s3cret")).expect("235 2.7.0");
      c.send("AUTH PLAIN " + TlsSmtpClient.b64("\0alice\0s3cret")).expect("503 5.5.1");
    }
    try (TlsSmtpClient c = connect(SUBMISSION)) {
      startTls(c);
      c.send("AUTH PLAIN").expect(334);
      c.send(TlsSmtpClient.b64("\0alice\0s3cret")).expect("235 2.7.0");
    }
  }

  @Test
  void submissionRequiresAuthBeforeMail() throws Exception {
    try (TlsSmtpClient c = connect(SUBMISSION)) {
      startTls(c);
      c.send("MAIL FROM:<alice@client.test>").expect("530 5.7.0");
      c.send("AUTH PLAIN " + TlsSmtpClient.b64("\0alice\0s3cret")).expect("235 2.7.0");
      c.send("MAIL FROM:<alice@client.test>").expect("250 2.1.0");
      c.send("AUTH LOGIN").expect("503 5.5.1");
    }
  }

  @Test
  void authenticatedClientMayRelayAndTheReceivedHeaderSaysSo() throws Exception {
    try (TlsSmtpClient c = connect(MX)) {
      startTls(c);
      c.send("MAIL FROM:<alice@client.test>").expect(250);
      c.send("RCPT TO:<someone@remote.test>").expect("554 5.7.1"); // not trusted, not authenticated
      c.send("AUTH PLAIN " + TlsSmtpClient.b64("\0alice\0s3cret")).expect("503 5.5.1"); // in a transaction
      c.send("RSET").expect(250);
      c.send("AUTH PLAIN " + TlsSmtpClient.b64("\0alice\0s3cret")).expect("235 2.7.0");
      c.send("MAIL FROM:<alice@client.test>").expect(250);
      c.send("RCPT TO:<someone@remote.test>").expect("250 2.1.5");
      c.send("DATA").expect(354);
      c.raw("Subject: t\r\n\r\nhi\r\n.\r\n");
      String queued = c.expect("250 2.0.0");
      String id = queued.substring(queued.lastIndexOf(' ') + 1);
      String cipher = c.sslSocket().getSession().getCipherSuite();
      String version = c.sslSocket().getSession().getProtocol();

      Spool spool = h.hermod.spool();
      Envelope env = spool.load(id).await();
      assertEquals("alice", env.authIdentity());
      Spool.Content content = spool.content(id).await();
      String stored = Files.readString(content.file(), StandardCharsets.ISO_8859_1);
      assertTrue(stored.contains("with ESMTPSA id " + id + "\r\n\t(version=" + version + " cipher=" + cipher + ")\r\n"),
          stored);
    }
  }

  @Test
  void implicitTlsListener() throws Exception {
    try (TlsSmtpClient c = TlsSmtpClient.implicit(h.hermod.port(IMPLICIT), cert)) {
      c.expect(220);
      List<String> ehlo = c.send("EHLO client.test").expect(250);
      assertTrue(ehlo.contains("250 AUTH PLAIN LOGIN SCRAM-SHA-256"), ehlo.toString());
      assertFalse(ehlo.stream().anyMatch(l -> l.contains("STARTTLS")), ehlo.toString());
      c.send("STARTTLS").expect("503 5.5.1");
      c.send("AUTH PLAIN " + TlsSmtpClient.b64("\0alice\0s3cret")).expect("235 2.7.0");
      c.send("MAIL FROM:<alice@client.test>").expect(250);
    }
  }

  @Test
  void listenerWithoutTlsOffersNeither() throws Exception {
    try (TlsSmtpClient c = connect(PLAIN_ONLY)) {
      List<String> ehlo = c.send("EHLO client.test").expect(250);
      assertFalse(ehlo.stream().anyMatch(l -> l.contains("STARTTLS") || l.contains("AUTH")), ehlo.toString());
      c.send("STARTTLS").expect("502 5.5.1");
      c.send("AUTH PLAIN " + TlsSmtpClient.b64("\0alice\0s3cret")).expect("538 5.7.11");
    }
  }

  @Test
  void usersFileChangesAreSeenWithoutRestart() throws Exception {
    try (TlsSmtpClient c = connect(SUBMISSION)) {
      startTls(c);
      c.send("AUTH PLAIN " + TlsSmtpClient.b64("\0carol\0pw-1")).expect("535 5.7.8");
      Map<String, PasswordHash> all = new LinkedHashMap<>(UserFile.read(users).users());
      all.put("carol", PasswordHash.create("pw-1", new SecureRandom()));
      UserFile.write(users, all);
      c.send("AUTH PLAIN " + TlsSmtpClient.b64("\0carol\0pw-1")).expect("235 2.7.0");
    } finally {
      Map<String, PasswordHash> all = new LinkedHashMap<>(UserFile.read(users).users());
      all.remove("carol");
      UserFile.write(users, all);
    }
  }

  /** swaks (Net::SSLeay) as an independent client: STARTTLS, AUTH PLAIN, relay to a remote domain. */
  @Test
  void swaksWithStarttlsAndAuthPlain() throws Exception {
    Process p = new ProcessBuilder("swaks", "-s", "127.0.0.1", "-p", String.valueOf(h.hermod.port(SUBMISSION)),
        "--local-interface", UNTRUSTED, "-tls", "-a", "PLAIN", "-au", "alice", "-ap", "s3cret",
        "-f", "alice@x.test", "-t", "u@remote.test", "--header", "Subject: via swaks tls")
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "swaks did not finish");
    assertEquals(0, p.exitValue(), output);
    assertTrue(output.contains("235 2.7.0"), output);
    String queued = output.lines().filter(l -> l.contains("250 2.0.0 OK: queued as")).findFirst().orElseThrow();
    String id = queued.substring(queued.lastIndexOf(' ') + 1);
    Envelope env = h.hermod.spool().load(id).await();
    assertEquals("alice", env.authIdentity());
    assertEquals("u@remote.test", env.recipients().get(0).address());
  }
}
