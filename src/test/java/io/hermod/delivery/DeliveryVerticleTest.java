package io.hermod.delivery;

import io.hermod.delivery.DeliveryFixture.Content;
import io.hermod.delivery.DeliveryReport.Outcome;
import io.hermod.delivery.DeliveryReport.Result;
import io.hermod.testing.PeerAction;
import io.hermod.testing.Ports;
import io.hermod.testing.ReceivedMessage;
import io.hermod.testing.ScriptedSmtpPeer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.hermod.delivery.DeliveryFixture.await;
import static io.hermod.delivery.DeliveryFixture.host;
import static io.hermod.delivery.DeliveryFixture.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Outcomes and host failover of the delivery verticle, jobs sent as event-bus requests to scripted peers. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeliveryVerticleTest {

  private final List<ScriptedSmtpPeer> peers = new ArrayList<>();
  private DeliveryFixture fixture;
  private Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx, @TempDir Path dir) {
    this.vertx = vertx;
    this.fixture = new DeliveryFixture(vertx, dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
    for (ScriptedSmtpPeer p : peers) {
      await(p.close());
    }
  }

  private ScriptedSmtpPeer peer() {
    ScriptedSmtpPeer p = new ScriptedSmtpPeer(vertx);
    peers.add(p);
    return p;
  }

  private ScriptedSmtpPeer started(ScriptedSmtpPeer p) throws Exception {
    return await(p.start());
  }

  private Content simpleContent() throws Exception {
    return fixture.content(Buffer.buffer("Subject: hi\r\n\r\nhello\r\n"));
  }

  private static String brief(Result r) {
    return r.outcome() + " " + r.code() + " " + r.status() + " remote=" + r.remote();
  }

  @Test
  void deliversTheByteRangeExactlyAndLogsPostfixStyle() throws Exception {
    ScriptedSmtpPeer p = started(peer().capabilities("PIPELINING", "SIZE 10000000", "8BITMIME"));
    fixture.deploy(DeliveryFixture.options(5_000));
    Buffer message = Buffer.buffer("Subject: dots\r\n\r\n.leading dot\r\n..\r\n".getBytes(StandardCharsets.UTF_8))
        .appendBytes(new byte[] {(byte) 0xe9, '\r', '\n'}).appendString("x".repeat(200_000) + "\r\n");
    Content c = fixture.content(message);

    DeliveryReport report = fixture.deliver(job("Q1", "peer.test", List.of(host("mx.peer.test", p)), c,
        "a@peer.test", "b@peer.test"));

    assertEquals(List.of("DELIVERED 250 2.0.0 remote=true", "DELIVERED 250 2.0.0 remote=true"),
        report.results().stream().map(DeliveryVerticleTest::brief).toList());
    assertEquals("queued", report.results().get(0).text());
    assertEquals("mx.peer.test", report.remoteHost());
    assertEquals("127.0.0.1", report.remoteAddress());
    ReceivedMessage got = p.messages().get(0);
    assertEquals(message, got.content());
    assertEquals("MAIL FROM:<sender@origin.test> SIZE=" + message.length(), got.mailFrom());
    assertEquals(List.of("RCPT TO:<a@peer.test>", "RCPT TO:<b@peer.test>"), got.rcptTo());
    String line = fixture.logLines().stream().filter(l -> l.contains("to=<a@peer.test>")).findFirst().orElseThrow();
    assertTrue(line.matches("Q1: to=<a@peer\\.test>, relay=mx\\.peer\\.test\\[127\\.0\\.0\\.1]:" + p.port()
        + ", delay=\\d+\\.\\d\\d, tlsPolicy=none/config, tls=none, dsn=2\\.0\\.0, status=sent \\(250 2\\.0\\.0 queued\\)"),
        line);
  }

  /**
   * The router sends the DeliveryJob object and gets the DeliveryReport object back (HandOverObject), the same
   * report a JSON job gets as JSON.
   */
  @Test
  void aJobHandedOverAsAnObjectIsAnsweredWithTheReportObject() throws Exception {
    ScriptedSmtpPeer p = started(peer().capabilities("PIPELINING").on("RCPT TO:<bad@", "550 5.1.1 no such user"));
    fixture.deploy(DeliveryFixture.options(5_000));
    DeliveryJob job = job("Q9", "peer.test", List.of(host("mx", p)), simpleContent(), "good@peer.test",
        "bad@peer.test");

    Object handedOver = await(fixture.requestHandedOver(job));
    DeliveryReport fromJson = fixture.deliver(job);

    DeliveryReport report = assertInstanceOf(DeliveryReport.class, handedOver);
    assertEquals(List.of("DELIVERED 250 2.0.0 remote=true", "FAILED 550 5.1.1 remote=true"),
        report.results().stream().map(DeliveryVerticleTest::brief).toList());
    assertEquals(fromJson.results(), report.results());
    assertEquals(2, p.messages().size());
  }

  @Test
  void oneRecipientRefusedPermanently() throws Exception {
    ScriptedSmtpPeer p = started(peer().capabilities("PIPELINING").on("RCPT TO:<bad@", "550 5.1.1 no such user"));
    fixture.deploy(DeliveryFixture.options(5_000));

    DeliveryReport report = fixture.deliver(job("Q2", "peer.test", List.of(host("mx", p)), simpleContent(),
        "good@peer.test", "bad@peer.test"));

    assertEquals(List.of("DELIVERED 250 2.0.0 remote=true", "FAILED 550 5.1.1 remote=true"),
        report.results().stream().map(DeliveryVerticleTest::brief).toList());
    assertEquals("no such user", report.results().get(1).text());
    assertEquals("bad@peer.test", report.results().get(1).address());
    assertEquals(List.of("RCPT TO:<good@peer.test>"), p.messages().get(0).rcptTo());
    assertTrue(fixture.logLines().stream().anyMatch(l -> l.contains("to=<bad@peer.test>")
        && l.contains("status=bounced (550 5.1.1 no such user)")));
  }

  @Test
  void transientRcptRefusalDefersAndSendsNoBody() throws Exception {
    ScriptedSmtpPeer p = started(peer().on("RCPT", "451 4.3.0 try later"));
    fixture.deploy(DeliveryFixture.options(5_000));

    DeliveryReport report = fixture.deliver(job("Q3", "peer.test", List.of(host("mx", p)), simpleContent(),
        "a@peer.test"));

    assertEquals("DEFERRED 451 4.3.0 remote=true", brief(report.results().get(0)));
    assertTrue(p.messages().isEmpty());
    assertTrue(fixture.logLines().get(0).contains("status=deferred (451 4.3.0 try later)"));
  }

  @Test
  void refusalAfterDataFailsEveryAcceptedRecipient() throws Exception {
    ScriptedSmtpPeer p = started(peer().afterData("552 5.3.4 message too big"));
    fixture.deploy(DeliveryFixture.options(5_000));

    DeliveryReport report = fixture.deliver(job("Q4", "peer.test", List.of(host("mx", p)), simpleContent(),
        "a@peer.test", "b@peer.test"));

    assertEquals(List.of("FAILED 552 5.3.4 remote=true", "FAILED 552 5.3.4 remote=true"),
        report.results().stream().map(DeliveryVerticleTest::brief).toList());
  }

  @Test
  void statusIsDerivedFromTheCodeWhenTheServerGivesNone() throws Exception {
    ScriptedSmtpPeer p = started(peer().on("RCPT TO:<bad@", "550 nope").on("RCPT TO:<later@", "450 busy")
        .afterData("250 ok"));
    fixture.deploy(DeliveryFixture.options(5_000));

    DeliveryReport report = fixture.deliver(job("Q5", "peer.test", List.of(host("mx", p)), simpleContent(),
        "a@peer.test", "bad@peer.test", "later@peer.test"));

    assertEquals(List.of("DELIVERED 250 2.0.0 remote=true", "FAILED 550 5.0.0 remote=true",
        "DEFERRED 450 4.0.0 remote=true"), report.results().stream().map(DeliveryVerticleTest::brief).toList());
    assertEquals("250 2.0.0 ok", report.results().get(0).summary());
  }

  @Test
  void smtpUtf8NotOfferedFailsLocally() throws Exception {
    ScriptedSmtpPeer p = started(peer().capabilities("8BITMIME"));
    fixture.deploy(DeliveryFixture.options(5_000));

    DeliveryReport report = fixture.deliver(job("Q6", "peer.test", List.of(host("mx", p)), simpleContent(), true,
        "a@peer.test"));

    assertEquals("FAILED 553 5.6.7 remote=false", brief(report.results().get(0)));
    assertTrue(p.messages().isEmpty());
  }

  @Test
  void greeting421OnFirstHostUsesTheSecond() throws Exception {
    ScriptedSmtpPeer busy = started(peer().greeting("421 4.3.2 too busy"));
    ScriptedSmtpPeer good = started(peer());
    fixture.deploy(DeliveryFixture.options(5_000));

    DeliveryReport report = fixture.deliver(job("Q7", "peer.test",
        List.of(host("mx1.peer.test", busy), host("mx2.peer.test", good)), simpleContent(), "a@peer.test"));

    assertEquals("DELIVERED 250 2.0.0 remote=true", brief(report.results().get(0)));
    assertEquals("mx2.peer.test", report.remoteHost());
    assertEquals(1, busy.sessions().size());
    assertEquals(1, good.messages().size());
  }

  @Test
  void refusedConnectionOnFirstHostUsesTheSecond() throws Exception {
    ScriptedSmtpPeer good = started(peer());
    fixture.deploy(DeliveryFixture.options(5_000));

    DeliveryReport report;
    try (Ports.Refusing refusing = Ports.refusing()) {
      report = fixture.deliver(job("Q8", "peer.test",
          List.of(host("mx1.peer.test", refusing.port()), host("mx2.peer.test", good)), simpleContent(),
          "a@peer.test"));
    }

    assertEquals("DELIVERED 250 2.0.0 remote=true", brief(report.results().get(0)));
    assertEquals("mx2.peer.test", report.remoteHost());
    assertEquals(1, good.messages().size());
  }

  @Test
  void allHostsDownDefersEveryRecipient() throws Exception {
    fixture.deploy(DeliveryFixture.options(5_000));
    int port1;
    int port2;
    DeliveryReport report;
    try (Ports.Refusing mx1 = Ports.refusing(); Ports.Refusing mx2 = Ports.refusing()) {
      port1 = mx1.port();
      port2 = mx2.port();
      report = fixture.deliver(job("Q9", "peer.test",
          List.of(host("mx1.peer.test", port1), host("mx2.peer.test", port2)), simpleContent(),
          "a@peer.test", "b@peer.test"));
    }

    assertEquals(List.of("DEFERRED 451 4.4.1 remote=false", "DEFERRED 451 4.4.1 remote=false"),
        report.results().stream().map(DeliveryVerticleTest::brief).toList());
    String text = report.results().get(0).text();
    assertTrue(text.contains("mx1.peer.test[127.0.0.1]:" + port1) && text.contains("mx2.peer.test[127.0.0.1]:" + port2),
        text);
    assertNull(report.remoteHost());
    assertTrue(fixture.logLines().get(0).contains("relay=none"));
  }

  @Test
  void permanentGreetingOnEveryHostStillDefers() throws Exception {
    ScriptedSmtpPeer p1 = started(peer().greeting("554 5.7.1 go away"));
    ScriptedSmtpPeer p2 = started(peer().greeting("554 no service"));
    fixture.deploy(DeliveryFixture.options(5_000));

    DeliveryReport report = fixture.deliver(job("Q10", "peer.test", List.of(host("mx1", p1), host("mx2", p2)),
        simpleContent(), "a@peer.test"));

    Result r = report.results().get(0);
    assertEquals("DEFERRED 451 4.0.0 remote=false", brief(r)); // the last host's 554 had no enhanced code
    assertTrue(r.text().contains("554 5.7.1 go away") && r.text().contains("554 no service"), r.text());
  }

  @Test
  void dropInTheMiddleOfDataDefers() throws Exception {
    ScriptedSmtpPeer p = started(peer().capabilities("PIPELINING").dropDuringData(1000));
    fixture.deploy(DeliveryFixture.options(5_000));
    Content c = fixture.content(Buffer.buffer("Subject: big\r\n\r\n" + "y".repeat(100_000) + "\r\n"));

    DeliveryReport report = fixture.deliver(job("Q11", "peer.test", List.of(host("mx", p)), c, "a@peer.test"));

    Result r = report.results().get(0);
    assertEquals("DEFERRED 451 4.4.2 remote=false", brief(r));
    assertTrue(r.text().contains("mx[127.0.0.1]:" + p.port()), r.text());
    assertTrue(p.messages().isEmpty());
  }

  @Test
  void silentServerDefersAfterTheTimeout() throws Exception {
    ScriptedSmtpPeer p = started(peer().greeting(PeerAction.silence()));
    fixture.deploy(DeliveryFixture.options(300));

    DeliveryReport report = fixture.deliver(job("Q12", "peer.test", List.of(host("mx", p)), simpleContent(),
        "a@peer.test"));

    Result r = report.results().get(0);
    assertEquals("DEFERRED 451 4.4.1 remote=false", brief(r));
    assertTrue(r.text().contains("greeting"), r.text());
  }

  @Test
  void unreadableContentDefersAndDropsTheConnection() throws Exception {
    ScriptedSmtpPeer p = started(peer());
    fixture.deploy(DeliveryFixture.options(5_000));
    Content missing = new Content(Path.of(simpleContent().file() + ".gone"), 0, 100);

    DeliveryReport report = fixture.deliver(job("Q14", "peer.test", List.of(host("mx", p)), missing, "a@peer.test"));

    assertEquals("DEFERRED 451 4.3.0 remote=false", brief(report.results().get(0)));
    assertTrue(p.messages().isEmpty());
    DeliveryFixture.eventually(() -> p.openSessions() == 0, "half-sent message's connection dropped");
  }

  /**
   * A message the spool has just stored is sent from its copy in memory (RecentContent, issue #17): its file is gone
   * here, yet it arrives byte for byte; a job whose length is not the held copy's reads the file (and defers).
   */
  @Test
  void aJustStoredMessageIsSentFromMemory() throws Exception {
    ScriptedSmtpPeer p = started(peer().capabilities("PIPELINING"));
    io.hermod.spool.RecentContent recent = new io.hermod.spool.RecentContent(io.hermod.spool.SpoolObserver.NONE);
    Buffer message = Buffer.buffer("Subject: from memory\r\n\r\n.dot\r\nbody\r\n");
    java.time.Instant now = java.time.Instant.now();
    recent.arrived(new io.hermod.spool.Envelope("Q15", "sender@origin.test",
            List.of(io.hermod.spool.Recipient.pending("a@peer.test", null, java.util.Set.of())), null, null,
            io.hermod.smtp.BodyType.SEVEN_BIT, false, "127.0.0.1", "client.test", null, "mx", now, 0, now, false,
            false, null, null, null, null), List.of(java.nio.ByteBuffer.wrap(message.getBytes())));
    fixture.deploy(new DeliveryVerticle(DeliveryFixture.options(5_000)).sendingFrom(recent));
    Path gone = Path.of(simpleContent().file() + ".gone");

    DeliveryReport held = fixture.deliver(job("Q15", "peer.test", List.of(host("mx", p)),
        new Content(gone, 0, message.length()), "a@peer.test"));
    DeliveryReport notHeld = fixture.deliver(job("Q15", "peer.test", List.of(host("mx", p)),
        new Content(gone, 0, message.length() + 1), "a@peer.test"));

    assertEquals("DELIVERED 250 2.0.0 remote=true", brief(held.results().get(0)));
    assertEquals(message, p.messages().get(0).content());
    assertEquals("DEFERRED 451 4.3.0 remote=false", brief(notHeld.results().get(0)));
    assertEquals(1, p.messages().size());
  }

  /**
   * Hermod stopping cuts a job whose host had not answered yet (its session closed by the stop): the job is
   * reported as not attempted (BUSY), not as a deferral with an attempt counted and a retry minutes away, so the
   * message is due again right after a restart.
   */
  @Test
  void aJobCutByTheVerticlesStopIsNotAttempted() throws Exception {
    cutByTheStop(started(peer().greeting(PeerAction.silence())));
  }

  /** The same for a transaction the stop cuts in the middle: the host had answered, but did not take the message. */
  @Test
  void aTransactionCutByTheVerticlesStopIsNotAttempted() throws Exception {
    cutByTheStop(started(peer().capabilities("PIPELINING").afterData(PeerAction.silence())));
  }

  private void cutByTheStop(ScriptedSmtpPeer p) throws Exception {
    fixture.deploy(DeliveryFixture.options(10_000));
    Future<Object> pending = fixture.requestHandedOver(job("Q16", "peer.test", List.of(host("mx", p)),
        simpleContent(), "a@peer.test"));
    DeliveryFixture.eventually(() -> p.openSessions() == 1, "the session to the silent host opened");

    fixture.undeployAll();

    Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> await(pending));
    ReplyException refusal = assertInstanceOf(ReplyException.class, e.getCause() == null ? e : e.getCause());
    assertEquals(DeliveryAttempt.BUSY, refusal.failureCode(), refusal.getMessage());
  }

  @Test
  void jobWithoutRecipientsIsRefusedAsMalformed() throws Exception {
    ScriptedSmtpPeer p = started(peer());
    fixture.deploy(DeliveryFixture.options(5_000));

    Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
        () -> fixture.deliver(job("Q13", "peer.test", List.of(host("mx", p)), simpleContent())));

    assertEquals(DeliveryAttempt.MALFORMED, assertInstanceOf(ReplyException.class, e).failureCode());
    assertFalse(p.sessions().size() > 0);
  }
}
