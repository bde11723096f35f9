package io.hermod.local;

import io.hermod.config.LocalTransport;
import io.hermod.delivery.DeliveryReport;
import io.hermod.delivery.DeliveryReport.Outcome;
import io.hermod.testing.PeerAction;
import io.hermod.testing.Ports;
import io.hermod.testing.ScriptedSmtpPeer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The LMTP client against a scripted peer: per-recipient replies, a session that breaks half-way, no server. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LmtpDelivererTest {

  @TempDir
  Path temp;

  private Vertx vertx;
  private NetClient client;
  private ScriptedSmtpPeer peer;
  private Path spoolFile;
  private final byte[] message = "Subject: x\r\n\r\n.dot line\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    client = vertx.createNetClient();
    peer = new ScriptedSmtpPeer(vertx).on("LHLO", "250-peer.test\n250 PIPELINING");
    // The message sits at an offset in a bigger file, as in a spool journal segment.
    spoolFile = temp.resolve("segment");
    byte[] file = new byte[7 + message.length + 5];
    System.arraycopy(message, 0, file, 7, message.length);
    Files.write(spoolFile, file);
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  private DeliveryReport deliver(int port, long timeoutMs, String... rcpts) {
    return deliverAfter(null, port, timeoutMs, rcpts);
  }

  /** @param prependHeaders the fields made at acceptance (LocalJob.prependHeaders), or null */
  private DeliveryReport deliverAfter(String prependHeaders, int port, long timeoutMs, String... rcpts) {
    LmtpDeliverer deliverer = new LmtpDeliverer(vertx, client, "mx.hermod.test", timeoutMs);
    LocalJob job = new LocalJob("q1", "local.test", new LocalTransport.Lmtp("127.0.0.1", port), "s@x.test",
        List.of(rcpts), spoolFile.toString(), 7, message.length, prependHeaders);
    Context context = vertx.getOrCreateContext();
    return Future.<DeliveryReport>future(p -> context.runOnContext(v -> deliverer.deliver(job).onComplete(p)))
        .await();
  }

  private static void assertResult(DeliveryReport.Result r, String address, Outcome outcome, int code, String status) {
    assertEquals(address, r.address());
    assertEquals(outcome, r.outcome(), r.toString());
    assertEquals(code, r.code(), r.toString());
    assertEquals(status, r.status(), r.toString());
  }

  @Test
  void oneReplyPerAcceptedRecipientAfterTheData() {
    peer.on("RCPT TO:<b@local.test>", "550 5.1.1 no such user")
        .afterData("250 2.0.0 <a@local.test> saved\n452 4.2.2 <c@local.test> over quota");
    peer.start().await();

    DeliveryReport report = deliver(peer.port(), 5000, "a@local.test", "b@local.test", "c@local.test");

    assertResult(report.results().get(0), "a@local.test", Outcome.DELIVERED, 250, "2.0.0");
    assertResult(report.results().get(1), "b@local.test", Outcome.FAILED, 550, "5.1.1");
    assertResult(report.results().get(2), "c@local.test", Outcome.DEFERRED, 452, "4.2.2");
    assertTrue(report.results().stream().allMatch(DeliveryReport.Result::remote));
    List<String> commands = peer.sessions().get(0).commands();
    assertEquals("LHLO mx.hermod.test", commands.get(0), commands.toString());
    assertEquals("MAIL FROM:<s@x.test>", commands.get(1), commands.toString());
    assertEquals(message.length, peer.messages().get(0).content().length());
    assertEquals(new String(message, StandardCharsets.US_ASCII), peer.messages().get(0).content().toString());
  }

  @Test
  void fieldsMadeAtAcceptanceGoBeforeTheSpooledBytes() {
    peer.afterData("250 2.0.0 <a@local.test> saved");
    peer.start().await();
    String authResults = "Authentication-Results: mx.hermod.test;\r\n\tdkim=none\r\n";

    DeliveryReport report = deliverAfter(authResults, peer.port(), 5000, "a@local.test");

    assertResult(report.results().get(0), "a@local.test", Outcome.DELIVERED, 250, "2.0.0");
    assertEquals(authResults + new String(message, StandardCharsets.US_ASCII), peer.messages().get(0).content().toString());
  }

  @Test
  void aSessionThatBreaksDefersOnlyTheUnansweredRecipients() {
    // One reply of two, then nothing: the first keeps its 250, the second is deferred after the timeout.
    peer.afterData("250 2.0.0 <a@local.test> saved");
    peer.start().await();

    DeliveryReport report = deliver(peer.port(), 500, "a@local.test", "b@local.test");

    assertResult(report.results().get(0), "a@local.test", Outcome.DELIVERED, 250, "2.0.0");
    assertResult(report.results().get(1), "b@local.test", Outcome.DEFERRED, 451, "4.4.2");
    assertTrue(report.results().get(1).text().contains("no LMTP reply"), report.results().get(1).text());
  }

  @Test
  void aRefusedMailCommandIsEveryRecipientsResult() {
    peer.on("MAIL", "452 4.3.1 insufficient system storage");
    peer.start().await();

    DeliveryReport report = deliver(peer.port(), 5000, "a@local.test", "b@local.test");

    assertResult(report.results().get(0), "a@local.test", Outcome.DEFERRED, 452, "4.3.1");
    assertResult(report.results().get(1), "b@local.test", Outcome.DEFERRED, 452, "4.3.1");
    assertEquals(List.of(), peer.messages());
  }

  @Test
  void noServerDefersEveryone() throws Exception {
    int closedPort;
    DeliveryReport report;
    try (Ports.Refusing refusing = Ports.refusing()) {
      closedPort = refusing.port();
      report = deliver(closedPort, 2000, "a@local.test");
    }

    assertResult(report.results().get(0), "a@local.test", Outcome.DEFERRED, 451, "4.4.2");
    assertTrue(report.results().get(0).text().startsWith("LMTP to 127.0.0.1:" + closedPort + " failed"),
        report.results().get(0).text());
  }
}
