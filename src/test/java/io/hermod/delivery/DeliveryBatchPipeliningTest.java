package io.hermod.delivery;

import static io.hermod.delivery.DeliveryFixture.await;
import static io.hermod.delivery.DeliveryFixture.host;
import static io.hermod.delivery.DeliveryFixture.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.api.Addresses;
import io.hermod.testing.PeerAction;
import io.hermod.testing.PeerSession;
import io.hermod.testing.ScriptedSmtpPeer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch's next envelope with the end of data (RFC 2920 §3.1): a real {@link DeliveryVerticle} and a scripted
 * peer on loopback. The peer answers each end of data late, so its transcript shows whether the client sent the
 * next MAIL before it had the reply (only a client that pipelines across messages can).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeliveryBatchPipeliningTest {

  private static final String QUEUED = "250 2.0.0 queued";

  @TempDir
  Path dir;
  private DeliveryFixture fixture;
  private Vertx vertx;
  private ScriptedSmtpPeer peer;

  @AfterEach
  void stopPeerAndVerticle() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
    if (peer != null) {
      await(peer.close());
    }
  }

  /** The peer (each end of data answered 100 ms late) and a delivery verticle with this connection limit. */
  private void start(Vertx vertx, ScriptedSmtpPeer scripted, int maxMessagesPerConnection) throws Exception {
    this.vertx = vertx;
    fixture = new DeliveryFixture(vertx, dir);
    peer = await(scripted.afterData(PeerAction.replyAfter(100, QUEUED)).start());
    DeliverySettings base = DeliveryFixture.options(5_000);
    fixture.deploy(new DeliverySettings(base.heloName(), base.client(), 50, 5, maxMessagesPerConnection, 10_000, 0));
  }

  private List<DeliveryJob> jobs(int n) throws Exception {
    List<DeliveryJob> jobs = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      DeliveryFixture.Content c = fixture.content(Buffer.buffer("Subject: m" + i + "\r\n\r\nhello\r\n"));
      jobs.add(job("Q" + i, "peer.test", List.of(host("mx", peer)), c, "r" + i + "@peer.test"));
    }
    return jobs;
  }

  private List<DeliveryReport> deliver(List<DeliveryJob> jobs) throws Exception {
    Object reply = await(vertx.eventBus().request(Addresses.DELIVERY_BATCH, new DeliveryBatch(jobs),
        Addresses.nodeLocal().setSendTimeout(20_000)).map(Message::body));
    return assertInstanceOf(DeliveryBatch.Reports.class, reply).reports();
  }

  private static List<String> outcomes(List<DeliveryReport> reports) {
    return reports.stream().flatMap(r -> r.results().stream())
        .map(r -> r.address() + " " + r.outcome() + " " + r.code()).toList();
  }

  private static List<String> delivered(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add("r" + i + "@peer.test DELIVERED 250");
    }
    return out;
  }

  /** Per end of data in {@code s}: the client's commands between its "." and the server's reply to it. */
  private static List<List<String>> sentBeforeTheReply(PeerSession s) {
    List<List<String>> out = new ArrayList<>();
    List<String> t = s.transcript();
    for (int i = 0; i < t.size(); i++) {
      if (t.get(i).equals("C: .")) {
        List<String> early = new ArrayList<>();
        for (int j = i + 1; j < t.size() && !t.get(j).equals("S: " + QUEUED); j++) {
          early.add(t.get(j).replaceFirst(":<.*", ""));
        }
        out.add(early);
      }
    }
    return out;
  }

  private long mails(PeerSession s) {
    return s.commands().stream().filter(c -> c.startsWith("MAIL")).count();
  }

  @Test
  void theNextMessagesEnvelopeGoesOutWithTheEndOfData(Vertx vertx) throws Exception {
    start(vertx, new ScriptedSmtpPeer(vertx).capabilities("PIPELINING"), 100);

    List<DeliveryReport> reports = deliver(jobs(3));

    assertEquals(delivered(3), outcomes(reports));
    assertEquals(List.of("m1", "m2", "m3"), peer.messages().stream()
        .map(m -> m.content().toString().lines().findFirst().orElseThrow().substring("Subject: ".length())).toList());
    assertEquals(1, peer.sessions().size());
    PeerSession s = peer.sessions().get(0);
    assertEquals(List.of(
        List.of("C: MAIL FROM", "C: RCPT TO", "C: DATA"),
        List.of("C: MAIL FROM", "C: RCPT TO", "C: DATA"),
        List.of()), sentBeforeTheReply(s), "messages 2 and 3 were announced before the reply to the one before");
    assertEquals(3, mails(s), "each envelope sent once");
    assertTrue(s.commands().stream().noneMatch(c -> c.startsWith("RSET")));
  }

  @Test
  void withoutPipeliningEachEnvelopeWaitsForTheReplyToTheDataBeforeIt(Vertx vertx) throws Exception {
    start(vertx, new ScriptedSmtpPeer(vertx), 100);

    assertEquals(delivered(3), outcomes(deliver(jobs(3))));

    PeerSession s = peer.sessions().get(0);
    assertEquals(List.of(List.of(), List.of(), List.of()), sentBeforeTheReply(s));
    assertEquals(3, mails(s));
  }

  @Test
  void aConnectionLimitReachedOnTheNextMessageSendsNoEnvelopeItCannotCarry(Vertx vertx) throws Exception {
    start(vertx, new ScriptedSmtpPeer(vertx).capabilities("PIPELINING"), 2);

    assertEquals(delivered(3), outcomes(deliver(jobs(3))));

    assertEquals(2, peer.sessions().size(), "two messages per connection");
    PeerSession first = peer.sessions().get(0);
    assertEquals(List.of(List.of("C: MAIL FROM", "C: RCPT TO", "C: DATA"), List.of()), sentBeforeTheReply(first));
    assertEquals(2, mails(first));
    assertEquals("QUIT", first.commands().get(first.commands().size() - 1), "the full connection ends with QUIT");
    assertEquals(1, mails(peer.sessions().get(1)));
    assertEquals(3, peer.messages().size(), "no message twice");
  }

  @Test
  void aNextEnvelopeTheServerDropsIsSentAgainOnANewConnection(Vertx vertx) throws Exception {
    // The second MAIL (message 2's, sent with message 1's end of data) finds the connection closed.
    start(vertx, new ScriptedSmtpPeer(vertx).capabilities("PIPELINING")
        .on("MAIL", PeerAction.reply("250 2.1.0 ok"), PeerAction.drop(), PeerAction.reply("250 2.1.0 ok")), 100);

    List<DeliveryReport> reports = deliver(jobs(3));

    assertEquals(delivered(3), outcomes(reports), "nothing of message 2 had been accepted: it goes again at once");
    assertEquals(2, peer.sessions().size());
    assertEquals(3, peer.messages().size(), "no message twice");
  }

  @Test
  void aNextEnvelopeRefusedWith421GoesAgainOnANewConnection(Vertx vertx) throws Exception {
    start(vertx, new ScriptedSmtpPeer(vertx).capabilities("PIPELINING")
        .on("MAIL", "250 2.1.0 ok", "421 4.7.0 too many messages, closing", "250 2.1.0 ok"), 100);

    assertEquals(delivered(3), outcomes(deliver(jobs(3))));

    assertEquals(2, peer.sessions().size());
    assertEquals(3, peer.messages().size());
  }

  @Test
  void aMessageTheServerCannotTakeIsNotAnnouncedEarly(Vertx vertx) throws Exception {
    // SIZE 200: message 2 is too big, refused before anything is sent (RFC 1870 §6), so message 3's envelope is the
    // next that goes out, after message 2's local refusal.
    start(vertx, new ScriptedSmtpPeer(vertx).capabilities("PIPELINING", "SIZE 200"), 100);
    List<DeliveryJob> jobs = new ArrayList<>();
    jobs.add(jobs(1).get(0));
    DeliveryFixture.Content big = fixture.content(Buffer.buffer("Subject: m2\r\n\r\n" + "x".repeat(400) + "\r\n"));
    jobs.add(job("Q2", "peer.test", List.of(host("mx", peer)), big, "r2@peer.test"));
    DeliveryFixture.Content third = fixture.content(Buffer.buffer("Subject: m3\r\n\r\nhello\r\n"));
    jobs.add(job("Q3", "peer.test", List.of(host("mx", peer)), third, "r3@peer.test"));

    List<String> outcomes = outcomes(deliver(jobs));

    assertEquals(List.of("r1@peer.test DELIVERED 250", "r2@peer.test FAILED 552", "r3@peer.test DELIVERED 250"),
        outcomes);
    PeerSession s = peer.sessions().get(0);
    assertEquals(List.of(List.of(), List.of()), sentBeforeTheReply(s), "message 2 could not go, so nothing went early");
    assertEquals(2, mails(s));
  }
}
