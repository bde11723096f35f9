package io.hermod.server;

import io.hermod.Hermod;
import io.hermod.config.ConfigLoader;
import io.hermod.config.HermodConfig;
import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.SmtpLineClient;
import io.hermod.testing.TestHermod;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hot reload end to end: Hermod started from a real file and watching it (as {@code Main} does), the file
 * rewritten, the effect seen over real SMTP sessions and TLS handshakes.
 */
@Timeout(60)
class HotReloadTest {

  @TempDir
  Path temp;

  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      logged.add(r);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };
  private final Logger hermodLog = Logger.getLogger("io.hermod");
  private Vertx vertx;
  private Hermod hermod;
  private Path file;

  @BeforeEach
  void captureLog() {
    hermodLog.addHandler(capture);
  }

  @AfterEach
  void stop() {
    hermodLog.removeHandler(capture);
    if (hermod != null) {
      hermod.stop().await();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  private JsonObject base() {
    return TestHermod.baseConfig(temp.resolve("spool")).put("configReloadSeconds", 1);
  }

  private void start(JsonObject json) throws Exception {
    file = temp.resolve("hermod.json");
    write(json);
    vertx = Vertx.vertx();
    HermodConfig config = ConfigLoader.load(vertx, file.toString()).await();
    hermod = Hermod.start(vertx, config).await();
    hermod.watch(file.toString(), Map.of());
  }

  /** Writes atomically, as an editor or a ConfigMap update does. */
  private void write(JsonObject json) throws Exception {
    writeText(json.encodePrettily());
  }

  private void writeText(String text) throws Exception {
    Path tmp = temp.resolve("hermod.json.tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, temp.resolve("hermod.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("not within 15 s: " + what);
      }
      Thread.sleep(50);
    }
  }

  private boolean loggedContaining(Level level, String... parts) {
    return logged.stream().anyMatch(r -> r.getLevel() == level
        && List.of(parts).stream().allMatch(p -> String.valueOf(r.getMessage()).contains(p)));
  }

  private static SmtpLineClient transaction(int port) throws Exception {
    SmtpLineClient c = SmtpLineClient.connect("127.0.0.1", port);
    c.expect(220);
    c.send("EHLO client.test").expect(250);
    c.send("MAIL FROM:<sender@local.test>").expect(250);
    return c;
  }

  @Test
  void aNewLimitAppliesToNewSessionsWhileAnOpenSessionKeepsItsOwn() throws Exception {
    start(base().put("limits", new JsonObject().put("maxRecipients", 2)));
    int port = hermod.port(0);
    try (SmtpLineClient before = transaction(port)) {
      before.send("RCPT TO:<a@local.test>").expect(250);

      write(base().put("limits", new JsonObject().put("maxRecipients", 3)));
      await("the new limit in force", () -> hermod.config().limits().maxRecipients() == 3);

      before.send("RCPT TO:<b@local.test>").expect(250);
      before.send("RCPT TO:<c@local.test>").expect(452); // its session began under maxRecipients 2
      try (SmtpLineClient after = transaction(port)) {
        after.send("RCPT TO:<a@local.test>").expect(250);
        after.send("RCPT TO:<b@local.test>").expect(250);
        after.send("RCPT TO:<c@local.test>").expect(250);
        after.send("RCPT TO:<d@local.test>").expect(452);
      }
    }
    assertTrue(loggedContaining(Level.INFO, "configuration reloaded", "limits"));
  }

  @Test
  void reloadsUnderLoadDropNoSessionAndNoMessage() throws Exception {
    start(base());
    int port = hermod.port(0);
    Process source = new ProcessBuilder("/usr/sbin/smtp-source", "-s", "10", "-m", "1000", "-l", "1024", "-d",
        "-f", "load@local.test", "-t", "u@local.test", "127.0.0.1:" + port).redirectErrorStream(true).start();
    // While smtp-source (a new connection per message) runs, publish a new configuration every 20 ms, and
    // note how many messages the spool held at each reload.
    int reloads = 0;
    java.util.SortedSet<Long> midLoad = new java.util.TreeSet<>(); // counts at reloads with some but not all in
    while (source.isAlive() && reloads < 200) {
      JsonObject next = base().put("limits", new JsonObject().put("maxRecipients", 50 + reloads % 2))
          .put("localDomains", new JsonArray().add("local.test").add("extra" + reloads + ".test"));
      hermod.reload(ConfigLoader.fromJson(next)).await();
      reloads++;
      long accepted = hermod.spool().usage().messages();
      if (accepted > 0 && accepted < 1000) {
        midLoad.add(accepted);
      }
      Thread.sleep(20);
    }
    String out = new String(source.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(source.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "smtp-source did not finish");
    assertEquals(0, source.exitValue(), out);
    // Not a count of reloads (a fast smtp-source or a slow machine changes it) but their order against the
    // load: messages were accepted between two reloads that both came in the middle of it.
    assertTrue(midLoad.size() >= 2, "no messages accepted between reloads in the middle of the load: " + reloads
        + " reloads, spool counts at them " + midLoad);
    assertEquals(1000, hermod.spool().list().await().size(), "every accepted message is in the spool");
  }

  @Test
  void localDomainsAndTrustedNetworksReloadForTheNextSession() throws Exception {
    start(base());
    int port = hermod.port(0);
    try (SmtpLineClient c = SmtpLineClient.connectFrom("127.0.0.2", "127.0.0.1", port)) {
      c.expect(220);
      c.send("EHLO client.test").expect(250);
      c.send("MAIL FROM:<someone@elsewhere.test>").expect(250);
      c.send("RCPT TO:<bob@new.test>").expect(554); // not ours: relay refused
    }
    write(base().put("localDomains", new JsonArray().add("local.test").add("new.test")));
    await("new.test local", () -> hermod.config().isLocalDomain("new.test"));
    try (SmtpLineClient c = SmtpLineClient.connectFrom("127.0.0.2", "127.0.0.1", port)) {
      c.expect(220);
      c.send("EHLO client.test").expect(250);
      c.send("MAIL FROM:<someone@elsewhere.test>").expect(250);
      c.send("RCPT TO:<bob@new.test>").expect(250);
    }
  }

  @Test
  void aChangedRouteSendsTheNextMessageToTheNewNextHop() throws Exception {
    ScriptedSmtpPeer first = new ScriptedSmtpPeer(Vertx.vertx()).start().await();
    ScriptedSmtpPeer second = new ScriptedSmtpPeer(Vertx.vertx()).start().await();
    try {
      start(base().put("routing", routeTo(first)));
      sendOne(hermod.port(0), "one");
      await("the first message at the first peer", () -> first.messages().size() == 1);

      write(base().put("routing", routeTo(second)));
      await("the new route in force", () -> hermod.config().routing().equals(
          ConfigLoader.fromJson(base().put("routing", routeTo(second))).routing()));
      sendOne(hermod.port(0), "two");
      await("the second message at the second peer", () -> second.messages().size() == 1);
      assertEquals(1, first.messages().size());
    } finally {
      first.close().await();
      second.close().await();
    }
  }

  private static JsonObject routeTo(ScriptedSmtpPeer peer) {
    return new JsonObject().put("routes", new JsonObject().put("remote.test", "[127.0.0.1]:" + peer.port()));
  }

  private static void sendOne(int port, String subject) throws Exception {
    try (SmtpLineClient c = transaction(port)) {
      c.send("RCPT TO:<someone@remote.test>").expect(250);
      c.send("DATA").expect(354);
      c.send("Subject: " + subject + "\r\n\r\nbody\r\n.").expect(250);
      c.send("QUIT").expect(221);
    }
  }

  @Test
  void anInvalidFileIsRefusedWithTheKeyNamedAndTheRunningConfigurationStays() throws Exception {
    start(base().put("limits", new JsonObject().put("maxRecipients", 2)));

    write(base().put("limits", new JsonObject().put("maxRecipients", -5)));
    await("the refusal logged", () -> loggedContaining(Level.SEVERE, "reload refused", "limits.maxRecipients"));
    assertEquals(2, hermod.config().limits().maxRecipients());

    writeText("{ \"hostname\": ");
    await("the broken JSON logged", () -> loggedContaining(Level.SEVERE, "reload refused", "not valid JSON"));
    assertEquals(2, hermod.config().limits().maxRecipients());
    try (SmtpLineClient c = transaction(hermod.port(0))) {
      c.send("RCPT TO:<a@local.test>").expect(250);
      c.send("RCPT TO:<b@local.test>").expect(250);
      c.send("RCPT TO:<c@local.test>").expect(452);
    }

    write(base().put("limits", new JsonObject().put("maxRecipients", 7)));
    await("the fixed file in force", () -> hermod.config().limits().maxRecipients() == 7);
  }

  @Test
  void aListenerChangeIsLoggedAsNeedingARestartAndTheListenerStays() throws Exception {
    start(base());
    int port = hermod.port(0);
    JsonObject moved = base().put("listeners", new JsonArray().add(new JsonObject()
        .put("name", "mx").put("host", "127.0.0.1").put("port", 0).put("role", "mx").put("tls", "none")
        .put("instances", 2)))
        .put("limits", new JsonObject().put("maxRecipients", 9));
    write(moved);
    await("the reload applied", () -> hermod.config().limits().maxRecipients() == 9);
    assertTrue(loggedContaining(Level.WARNING, "listeners", "after a restart"));
    assertEquals(1, hermod.config().listeners().get(0).instances(), "config() describes what runs");
    try (SmtpLineClient c = transaction(port)) {
      c.send("RCPT TO:<a@local.test>").expect(250);
    }
  }

  @Test
  void aRenewedCertificateIsServedByStartTlsAndImplicitTlsWithoutARestart() throws Exception {
    Path cert = temp.resolve("cert.pem");
    Path key = temp.resolve("key.pem");
    Path one = copyPair(SelfSignedCertificate.create("one.hermod.test"), "one");
    Path two = copyPair(SelfSignedCertificate.create("two.hermod.test"), "two");
    Files.copy(one.resolve("cert.pem"), cert);
    Files.copy(one.resolve("key.pem"), key);
    start(base()
        .put("tls", new JsonObject().put("certificateFile", cert.toString()).put("keyFile", key.toString()))
        .put("listeners", new JsonArray()
            .add(new JsonObject().put("name", "mx").put("host", "127.0.0.1").put("port", 0).put("role", "mx")
                .put("tls", "starttls"))
            .add(new JsonObject().put("name", "smtps").put("host", "127.0.0.1").put("port", 0)
                .put("role", "submission").put("tls", "implicit"))));
    assertEquals("CN=one.hermod.test", startTlsSubject(hermod.port(0), one.resolve("cert.pem")));

    // A renewal tool writes the certificate, then the key: in between the pair does not match.
    Files.copy(two.resolve("cert.pem"), cert, StandardCopyOption.REPLACE_EXISTING);
    await("the mismatched pair refused",
        () -> loggedContaining(Level.WARNING, "keeping the current certificate", "does not belong"));
    assertEquals("CN=one.hermod.test", startTlsSubject(hermod.port(0), one.resolve("cert.pem")));
    Files.copy(two.resolve("key.pem"), key, StandardCopyOption.REPLACE_EXISTING);

    await("the new certificate served", () -> loggedContaining(Level.INFO, "now serving the certificate"));
    assertEquals("CN=two.hermod.test", startTlsSubject(hermod.port(0), two.resolve("cert.pem")));
    try (TlsSmtpClient implicit = TlsSmtpClient.implicit(hermod.port(1), two.resolve("cert.pem"))) {
      assertEquals("CN=two.hermod.test",
          ((X509Certificate) implicit.sslSocket().getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName());
    }
    assertThrows(javax.net.ssl.SSLException.class, () -> startTlsSubject(hermod.port(0), one.resolve("cert.pem")),
        "the old certificate is no longer served");
  }

  private Path copyPair(SelfSignedCertificate generated, String name) throws Exception {
    Path dir = Files.createDirectories(temp.resolve(name));
    Files.copy(Path.of(generated.certificatePath()), dir.resolve("cert.pem"));
    Files.copy(Path.of(generated.privateKeyPath()), dir.resolve("key.pem"));
    generated.delete();
    return dir;
  }

  /** STARTTLS trusting only {@code trusted}; the subject of the certificate the server presented. */
  private static String startTlsSubject(int port, Path trusted) throws Exception {
    try (TlsSmtpClient c = TlsSmtpClient.plain("127.0.0.1", port, trusted)) {
      c.expect(220);
      c.send("EHLO client.test").expect(250);
      c.send("STARTTLS").expect(220);
      return ((X509Certificate) c.startTls().getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }
  }

}
