package io.hermod.delivery;

import static io.hermod.delivery.DeliveryFixture.await;
import static io.hermod.delivery.DeliveryFixture.host;
import static io.hermod.delivery.DeliveryFixture.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.api.Addresses;
import io.hermod.delivery.DeliveryFixture.Content;
import io.hermod.testing.Ports;
import io.hermod.testing.ScriptedSmtpPeer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link DeliveryBatch} on {@link Addresses#DELIVERY_BATCH}: a real {@link DeliveryVerticle} delivering to a
 * scripted SMTP peer on loopback, answered with one report per job in order.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeliveryBatchTest {

  private DeliveryFixture fixture;
  private Vertx vertx;
  private ScriptedSmtpPeer peer;

  @BeforeEach
  void setUp(Vertx vertx, @TempDir Path dir) throws Exception {
    this.vertx = vertx;
    this.fixture = new DeliveryFixture(vertx, dir);
    peer = await(new ScriptedSmtpPeer(vertx).capabilities("PIPELINING").on("RCPT TO:<bad@", "550 5.1.1 no such user")
        .start());
    fixture.deploy(DeliveryFixture.options(5_000));
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
    await(peer.close());
  }

  private Content content(String subject) throws Exception {
    return fixture.content(Buffer.buffer("Subject: " + subject + "\r\n\r\nhello\r\n"));
  }

  /** What the batch's progress heard, as "index queueId", in the order it heard it. */
  private final List<String> progress = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

  private Object request(List<DeliveryJob> jobs) throws Exception {
    DeliveryBatch.Progress told = (index, report) -> progress.add(index + " " + report.results().get(0).address());
    return await(vertx.eventBus().request(Addresses.DELIVERY_BATCH, new DeliveryBatch(jobs, told),
        Addresses.nodeLocal().setSendTimeout(20_000)).map(Message::body));
  }

  private static List<String> outcomes(DeliveryReport report) {
    return report.results().stream().map(r -> r.address() + " " + r.outcome() + " " + r.code()).toList();
  }

  @Test
  void theJobsAreDeliveredInOrderOverOneConnectionEachWithItsOwnReport() throws Exception {
    List<DeliveryJob> jobs = List.of(
        job("Q1", "peer.test", List.of(host("mx", peer)), content("one"), "a@peer.test"),
        job("Q2", "peer.test", List.of(host("mx", peer)), content("two"), "b@peer.test", "bad@peer.test"),
        job("Q3", "peer.test", List.of(host("mx", peer)), content("three"), "c@peer.test"));

    DeliveryBatch.Reports reply = assertInstanceOf(DeliveryBatch.Reports.class, request(jobs));

    assertEquals(3, reply.reports().size());
    assertEquals(List.of("0 a@peer.test", "1 b@peer.test", "2 c@peer.test"), progress,
        "each report is passed on as its job ends, before the reply");
    assertEquals(List.of("a@peer.test DELIVERED 250"), outcomes(reply.reports().get(0)));
    assertEquals(List.of("b@peer.test DELIVERED 250", "bad@peer.test FAILED 550"), outcomes(reply.reports().get(1)));
    assertEquals(List.of("c@peer.test DELIVERED 250"), outcomes(reply.reports().get(2)));
    assertEquals(List.of("one", "two", "three"), peer.messages().stream()
        .map(m -> m.content().toString().lines().findFirst().orElseThrow().substring("Subject: ".length())).toList());
    assertEquals(1, peer.sessions().size(), "the batch's jobs share the pooled connection");
    assertEquals(3, fixture.logLines().stream().filter(l -> l.contains("status=sent")).count(),
        "each job is logged as its own delivery");
  }

  @Test
  void aJobThatFindsNoHostEndsTheBatchAndTheJobsAfterItAreNotAttempted() throws Exception {
    Object reply;
    try (Ports.Refusing down = Ports.refusing()) {
      reply = request(List.of(
          job("Q1", "peer.test", List.of(host("mx", peer)), content("one"), "a@peer.test"),
          job("Q2", "down.test", List.of(host("mx.down.test", down.port())), content("two"), "b@down.test"),
          job("Q3", "peer.test", List.of(host("mx", peer)), content("three"), "c@peer.test")));
    }

    List<DeliveryReport> reports = assertInstanceOf(DeliveryBatch.Reports.class, reply).reports();
    assertEquals(2, reports.size(), "Q3 gets no report: not attempted");
    assertEquals(List.of("0 a@peer.test", "1 b@down.test"), progress);
    assertEquals(List.of("a@peer.test DELIVERED 250"), outcomes(reports.get(0)));
    assertTrue(reports.get(1).unreachable());
    assertEquals(List.of("b@down.test DEFERRED 451"), outcomes(reports.get(1)));
    assertEquals(1, peer.messages().size());
  }
}
