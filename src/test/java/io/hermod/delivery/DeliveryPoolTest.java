package io.hermod.delivery;

import io.hermod.delivery.DeliveryFixture.Content;
import io.hermod.testing.PeerAction;
import io.hermod.testing.ScriptedSmtpPeer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.hermod.delivery.DeliveryFixture.await;
import static io.hermod.delivery.DeliveryFixture.host;
import static io.hermod.delivery.DeliveryFixture.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connection reuse, caps and idle closing of the delivery verticle. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeliveryPoolTest {

  private Vertx vertx;
  private DeliveryFixture fixture;
  private ScriptedSmtpPeer peer;
  private Content content;

  @BeforeEach
  void setUp(Vertx vertx, @TempDir Path dir) throws Exception {
    this.vertx = vertx;
    fixture = new DeliveryFixture(vertx, dir);
    peer = await(new ScriptedSmtpPeer(vertx).capabilities("PIPELINING").start());
    content = fixture.content(Buffer.buffer("Subject: pooled\r\n\r\nhello\r\n"));
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
    await(peer.close());
  }

  private DeliveryJob jobFor(String queueId) {
    return job(queueId, "peer.test", List.of(host("mx", peer)), content, "a@peer.test");
  }

  private static List<String> verbs(List<String> commands) {
    return commands.stream().map(c -> c.split("[ :]")[0]).toList();
  }

  /** A session idle only a moment is reused as it is: no RSET round trip in front of every message (issue #17). */
  @Test
  void secondJobReusesTheConnectionAtOnce() throws Exception {
    fixture.deploy(DeliveryFixture.options(5_000));

    fixture.deliver(jobFor("R1"));
    fixture.deliver(jobFor("R2"));

    assertEquals(1, peer.sessions().size());
    assertEquals(2, peer.messages().size());
    assertEquals(List.of("EHLO", "MAIL", "RCPT", "DATA", "MAIL", "RCPT", "DATA"),
        verbs(peer.sessions().get(0).commands()));
  }

  /** One idle longer than the trust window is proved alive with RSET first (RFC 5321 §4.1.1.5). */
  @Test
  void aSessionIdleForLongerIsCheckedWithRsetFirst() throws Exception {
    fixture.deploy(DeliveryFixture.options(5_000));

    fixture.deliver(jobFor("L1"));
    Thread.sleep(DeliveryAttempt.TRUSTED_IDLE_NANOS / 1_000_000 + 200);
    fixture.deliver(jobFor("L2"));

    assertEquals(1, peer.sessions().size());
    assertEquals(List.of("EHLO", "MAIL", "RCPT", "DATA", "RSET", "MAIL", "RCPT", "DATA"),
        verbs(peer.sessions().get(0).commands()));
  }

  /**
   * The server dropped an idle session without our noticing (it closes as the next MAIL arrives), or answers
   * that MAIL with 421: nothing was accepted, so the message goes on a new connection at once instead of being
   * deferred.
   */
  @Test
  void aReusedSessionTheServerDroppedIsReplacedNotDeferred() throws Exception {
    // In turn over all sessions: D1; D2 on the reused session, then on a new one; D3 likewise.
    peer.on("MAIL", PeerAction.reply("250 2.1.0 Ok"), PeerAction.drop(), PeerAction.reply("250 2.1.0 Ok"),
        PeerAction.reply("421 4.4.2 idle too long"), PeerAction.reply("250 2.1.0 Ok"));
    fixture.deploy(DeliveryFixture.options(5_000));

    for (String id : List.of("D1", "D2", "D3")) {
      DeliveryReport report = fixture.deliver(jobFor(id));
      assertEquals(DeliveryReport.Outcome.DELIVERED, report.results().get(0).outcome(), id + ": " + report);
    }

    assertEquals(3, peer.messages().size());
    assertEquals(3, peer.sessions().size(), "a new connection after the drop and after the 421");
  }

  @Test
  void connectionIsClosedAfterMaxMessagesPerConnection() throws Exception {
    fixture.deploy(DeliveryFixture.options(5_000).withLimits(50, 5, 2, 10_000));

    for (int i = 0; i < 3; i++) {
      fixture.deliver(jobFor("M" + i));
    }

    assertEquals(2, peer.sessions().size());
    List<String> first = peer.sessions().get(0).commands();
    assertEquals(2, verbs(first).stream().filter("DATA"::equals).count());
    assertEquals("QUIT", first.get(first.size() - 1));
  }

  /**
   * Sends every job at once, then again those refused as busy, until all are delivered (at most 50 rounds).
   * Like the router (delivery.requeueDelayMillis) it waits a moment before sending refused jobs again: a slot
   * given up by an idle session is free only once that session's QUIT is answered, and back-to-back rounds
   * could all fall inside that exchange on a loaded machine.
   *
   * @return how many busy refusals there were
   */
  private static final long REQUEUE_DELAY_MS = 20;

  private int sendAllRetryingBusy(List<DeliveryJob> jobs) throws Exception {
    List<DeliveryJob> pending = jobs;
    int busy = 0;
    int rounds = 0;
    while (!pending.isEmpty() && rounds++ < 50) {
      List<Future<DeliveryReport>> replies = pending.stream().map(fixture::request).toList();
      await(Future.join(replies).otherwiseEmpty()); // join waits for every reply, failed or not
      List<DeliveryJob> retry = new ArrayList<>();
      for (int i = 0; i < replies.size(); i++) {
        Future<DeliveryReport> r = replies.get(i);
        if (r.failed()) {
          assertTrue(DeliveryFixture.isBusy(r.cause()), String.valueOf(r.cause()));
          busy++;
          retry.add(pending.get(i));
        } else {
          assertEquals(DeliveryReport.Outcome.DELIVERED, r.result().results().get(0).outcome());
        }
      }
      pending = retry;
      if (!pending.isEmpty()) {
        Thread.sleep(REQUEUE_DELAY_MS);
      }
    }
    assertTrue(pending.isEmpty(), "still pending after " + rounds + " rounds: " + pending.size());
    return busy;
  }

  @Test
  void perDestinationCapHoldsUnderConcurrentJobs() throws Exception {
    fixture.deploy(DeliveryFixture.options(5_000).withLimits(50, 2, 100, 10_000));
    List<DeliveryJob> pending = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      pending.add(jobFor("C" + i));
    }
    int busy = sendAllRetryingBusy(pending);

    assertEquals(20, peer.messages().size());
    assertTrue(peer.maxConcurrentSessions() <= 2, "max concurrent " + peer.maxConcurrentSessions());
    assertTrue(busy > 0, "20 simultaneous jobs must meet the cap of 2");
  }

  @Test
  void perHostCapHoldsAcrossDestinationsSharingAnMxHost() throws Exception {
    // Two domains whose MX is the same host; each destination may have 5 connections, the host only 1.
    fixture.deploy(DeliveryFixture.options(5_000).withLimits(50, 5, 100, 10_000).withMaxConnectionsPerHost(1));
    List<DeliveryJob> pending = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String domain = i % 2 == 0 ? "one.test" : "two.test";
      pending.add(job("H" + i, domain, List.of(host("mx", peer)), content, "a@" + domain));
    }
    int busy = sendAllRetryingBusy(pending);
    assertEquals(12, peer.messages().size());
    assertEquals(1, peer.maxConcurrentSessions(), "the host cap of 1 was exceeded");
    assertTrue(busy > 0, "12 simultaneous jobs must meet the host cap of 1");
  }

  @Test
  void globalCapClosesAnIdleConnectionOfAnotherDestination() throws Exception {
    ScriptedSmtpPeer other = await(new ScriptedSmtpPeer(vertx).start());
    try {
      fixture.deploy(DeliveryFixture.options(5_000).withLimits(1, 1, 100, 10_000));
      fixture.deliver(jobFor("G1"));
      fixture.deliver(job("G2", "other.test", List.of(host("mx.other", other)), content, "b@other.test"));

      assertEquals(1, other.messages().size());
      List<String> first = peer.sessions().get(0).commands();
      assertEquals("QUIT", first.get(first.size() - 1));
    } finally {
      await(other.close());
    }
  }

  @Test
  void idleConnectionIsClosedAfterTheIdleTime() throws Exception {
    fixture.deploy(DeliveryFixture.options(5_000).withLimits(50, 5, 100, 200));

    fixture.deliver(jobFor("I1"));

    DeliveryFixture.eventually(() -> peer.openSessions() == 0, "idle connection closed");
    List<String> commands = peer.sessions().get(0).commands();
    assertEquals("QUIT", commands.get(commands.size() - 1));
  }

  @Test
  void stoppingTheVerticleQuitsIdleConnections() throws Exception {
    fixture.deploy(DeliveryFixture.options(5_000));
    fixture.deliver(jobFor("S1"));

    fixture.undeployAll();

    DeliveryFixture.eventually(() -> peer.openSessions() == 0, "connection closed on stop");
    List<String> commands = peer.sessions().get(0).commands();
    assertEquals("QUIT", commands.get(commands.size() - 1));
  }

  @Test
  void aLoweredNodeLimitClosesIdleConnectionsAndStopsNewOnes() throws Exception {
    NodeConnections node = new NodeConnections();
    fixture.deploy(DeliveryFixture.options(5_000), node);
    await(Future.all(fixture.request(jobFor("L1")), fixture.request(jobFor("L2"))));
    assertEquals(2, node.open("peer.test"));
    assertEquals(2, peer.openSessions()); // both idle, kept for reuse

    node.limit("peer.test", 1); // e.g. a cluster lease shrank (docs/cluster.md)
    DeliveryFixture.eventually(() -> peer.openSessions() == 1 && node.open("peer.test") == 1, "one idle closed");
    fixture.deliver(jobFor("L3"));
    assertEquals(2, peer.sessions().size(), "L3 reused the connection that was left");

    node.limit("peer.test", 0);
    DeliveryFixture.eventually(() -> peer.openSessions() == 0 && node.open("peer.test") == 0, "all idle closed");
    Future<DeliveryReport> refused = fixture.request(jobFor("L4"));
    await(refused.otherwiseEmpty());
    assertTrue(refused.failed() && DeliveryFixture.isBusy(refused.cause()), "a job over the limit is busy");

    node.unlimit("peer.test");
    fixture.deliver(jobFor("L4"));
    assertEquals(4, peer.messages().size());
  }
}
