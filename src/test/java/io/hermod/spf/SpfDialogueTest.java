package io.hermod.spf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.spool.Spool;
import io.hermod.testing.SmtpLineClient;
import io.hermod.testing.TestDnsServer;
import io.hermod.testing.TestHermod;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SPF at MAIL FROM in real SMTP dialogues from an untrusted loopback address (127.0.0.2). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpfDialogueTest {

  static final String UNTRUSTED = "127.0.0.2";

  @TempDir
  static Path temp;
  static Vertx dnsVertx;
  static TestDnsServer dns;

  @BeforeAll
  static void startDns() {
    dnsVertx = Vertx.vertx();
    dns = TestDnsServer.start(dnsVertx).await()
        .txt("pass.test", "v=spf1 ip4:127.0.0.2 -all")
        .txt("fail.test", "v=spf1 ip4:192.0.2.1 -all")
        .txt("temp.test", "v=spf1 include:broken.test -all")
        .servfail("broken.test");
  }

  @AfterAll
  static void stopDns() {
    dns.close().await();
    dnsVertx.close().await();
  }

  private static TestHermod hermod(String name, String policy) throws Exception {
    return TestHermod.start(Files.createDirectories(temp.resolve(name)), new JsonObject()
        .put("spf", new JsonObject().put("policy", policy))
        .put("dns", new JsonObject().put("resolvers", new JsonArray().add("127.0.0.1:" + dns.address().getPort()))));
  }

  @Test
  void rejectFailRefusesFailAndTemperrorAndTagsPass() throws Exception {
    try (TestHermod h = hermod("reject", "reject-fail");
         SmtpLineClient c = SmtpLineClient.connectFrom(UNTRUSTED, "127.0.0.1", h.port())) {
      c.expect(220);
      c.send("EHLO client.test").expect(250);
      assertEquals("550 5.7.23 SPF validation failed", c.send("MAIL FROM:<a@fail.test>").readReply());
      assertTrue(c.send("MAIL FROM:<a@temp.test>").readReply().startsWith("451 4.7.24"));
      // Pipelined: the RCPT waits until the SPF answer for MAIL has come back.
      c.sendRaw("MAIL FROM:<a@pass.test>\r\nRCPT TO:<u@local.test>\r\nDATA\r\n".getBytes(StandardCharsets.US_ASCII));
      c.expect(250);
      c.expect(250);
      c.expect(354);
      c.sendRaw("Subject: spf\r\n\r\nhi\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
      String queued = c.expect(250);
      String content = content(h.hermod.spool(), queued.substring(queued.lastIndexOf(' ') + 1));
      assertTrue(content.startsWith("Received-SPF: pass (mx.hermod.test: domain of pass.test designates 127.0.0.2 "
          + "as permitted sender)\r\n\tclient-ip=127.0.0.2; envelope-from=\"a@pass.test\"; helo=\"client.test\";\r\n"
          + "\treceiver=mx.hermod.test; identity=mailfrom; mechanism=\"ip4:127.0.0.2\"\r\nReceived: from client.test"),
          content);
      c.send("QUIT").expect(221);
    }
  }

  @Test
  void tagOnlyAddsTheHeaderAndTrustedClientsAreNotChecked() throws Exception {
    try (TestHermod h = hermod("tag", "tag")) {
      String untrusted = send(h, UNTRUSTED, "a@fail.test");
      assertTrue(untrusted.startsWith("Received-SPF: fail (mx.hermod.test: domain of fail.test does not designate"
          + " 127.0.0.2 as permitted sender)"), untrusted);
      String trusted = send(h, "127.0.0.1", "a@fail.test");
      assertFalse(trusted.contains("Received-SPF"), trusted);
    }
  }

  private static String send(TestHermod h, String from, String sender) throws Exception {
    try (SmtpLineClient c = SmtpLineClient.connectFrom(from, "127.0.0.1", h.port())) {
      c.expect(220);
      c.send("EHLO client.test").expect(250);
      c.send("MAIL FROM:<" + sender + ">").expect(250);
      c.send("RCPT TO:<u@local.test>").expect(250);
      c.send("DATA").expect(354);
      c.sendRaw("Subject: spf\r\n\r\nhi\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
      String queued = c.expect(250);
      c.send("QUIT").expect(221);
      return content(h.hermod.spool(), queued.substring(queued.lastIndexOf(' ') + 1));
    }
  }

  private static String content(Spool spool, String id) throws Exception {
    Spool.Content c = spool.content(id).await();
    byte[] all = Files.readAllBytes(c.file());
    return new String(all, (int) c.offset(), (int) c.length(), StandardCharsets.ISO_8859_1);
  }
}
