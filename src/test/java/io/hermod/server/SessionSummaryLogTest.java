package io.hermod.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.JsonLogFormatter;
import io.hermod.auth.PasswordHash;
import io.hermod.auth.UserFile;
import io.hermod.testing.SmtpLineClient;
import io.hermod.testing.TestHermod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The one summary line per SMTP session, captured from java.util.logging after real sessions on a socket. */
@Timeout(60)
class SessionSummaryLogTest {

  @TempDir
  Path temp;

  private final BlockingQueue<LogRecord> lines = new LinkedBlockingQueue<>();
  private final Logger logger = Logger.getLogger(SessionSummary.class.getName());
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      lines.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  @BeforeEach
  void listen() {
    logger.addHandler(capture);
  }

  @AfterEach
  void stopListening() {
    logger.removeHandler(capture);
  }

  @Test
  void aTransactionEndingWithQuitCountsEveryVerbAndNamesTheQueueId() throws Exception {
    try (TestHermod h = TestHermod.start(temp, new JsonObject())) {
      String id;
      try (SmtpLineClient c = SmtpLineClient.connect("127.0.0.1", h.port())) {
        c.expect(220);
        c.send("EHLO client.test").expect(250);
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("RCPT TO:<b@local.test>").expect(250);
        c.send("RCPT TO:<c@local.test>").expect(250);
        c.send("DATA").expect(354);
        c.send("Subject: summary\r\n\r\nthe body stays out of the log\r\n.");
        String queued = c.expect(250);
        id = queued.substring(queued.lastIndexOf(' ') + 1).trim();
        c.send("QUIT").expect(221);
      }
      LogRecord record = next();
      assertEquals("disconnect from [127.0.0.1] listener=mx tls=no user=- ehlo=1 mail=1 rcpt=2 data=1 quit=1"
          + " commands=6 accepted=1 ids=" + id + " end=quit", record.getMessage());

      JsonObject json = new JsonObject(new JsonLogFormatter().format(record).trim());
      assertEquals(record.getMessage(), json.getString("message"));
      JsonObject fields = json.getJsonObject("fields");
      assertEquals(2, fields.getJsonObject("commands").getInteger("rcpt"));
      assertEquals(new JsonArray().add(id), fields.getJsonArray("queueIds"));
      assertEquals("quit", fields.getString("end"));
      assertFalse(fields.getBoolean("tls"));
      assertFalse(json.encode().contains("the body"), json.encode());
    }
  }

  @Test
  void endsByPeerCloseErrorLimitAndTimeout() throws Exception {
    JsonObject limits = new JsonObject().put("limits", new JsonObject().put("maxErrors", 2)
        .put("commandTimeoutSeconds", 1));
    try (TestHermod h = TestHermod.start(temp, limits)) {
      try (SmtpLineClient c = SmtpLineClient.connect("127.0.0.1", h.port())) {
        c.expect(220);
        c.send("NOOP").expect(250);
      }
      assertTrue(next().getMessage().endsWith(" noop=1 commands=1 accepted=0 end=peer-closed"));

      try (SmtpLineClient c = SmtpLineClient.connect("127.0.0.1", h.port())) {
        c.expect(220);
        c.send("RCPT TO:<b@local.test>").expect(503);
        c.send("NONSENSE").expect(500);
        c.expect(421);
      }
      assertTrue(next().getMessage().endsWith(" rcpt=1 invalid=1 commands=2 accepted=0 end=error-limit"));

      try (SmtpLineClient c = SmtpLineClient.connect("127.0.0.1", h.port())) {
        c.expect(220);
        c.expect(421); // said nothing for a second
      }
      assertTrue(next().getMessage().endsWith(" user=- commands=0 accepted=0 end=timeout"));
    }
  }

  @Test
  void anAuthenticatedTlsSessionNamesTheUserButNeverThePassword() throws Exception {
    UserFile.write(temp.resolve("users"), Map.of("alice", PasswordHash.create("s3cret", new SecureRandom())));
    try (TestHermod h = TestHermod.start(Files.createDirectories(temp.resolve("spool")), TlsAuthTest.config(temp))) {
      try (TlsSmtpClient c = TlsSmtpClient.plain(TlsAuthTest.UNTRUSTED, h.hermod.port(TlsAuthTest.SUBMISSION),
          temp.resolve("tls/cert.pem"))) {
        c.expect(220);
        c.send("EHLO client.test").expect(250);
        c.send("STARTTLS").expect("220 2.0.0");
        c.startTls();
        c.send("EHLO client.test").expect(250);
        c.send("AUTH PLAIN " + TlsSmtpClient.b64("\0alice\0s3cret")).expect("235");
        c.send("QUIT").expect(221);
      }
      LogRecord record = next();
      assertEquals("disconnect from [127.0.0.2] listener=submission tls=yes user=alice ehlo=2 starttls=1 auth=1"
          + " quit=1 commands=5 accepted=0 end=quit", record.getMessage());
      String json = new JsonLogFormatter().format(record);
      assertFalse(json.contains("s3cret") || json.contains(TlsSmtpClient.b64("\0alice\0s3cret")), json);
      assertEquals("alice", new JsonObject(json.trim()).getJsonObject("fields").getString("user"));
    }
  }

  private LogRecord next() throws InterruptedException {
    LogRecord r = lines.poll(10, TimeUnit.SECONDS);
    assertNotNull(r, "no summary line within 10 s");
    return r;
  }
}
