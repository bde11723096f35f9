package io.hermod.delivery;

import static io.hermod.delivery.DeliveryFixture.await;
import static io.hermod.delivery.DeliveryFixture.host;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.delivery.DeliveryFixture.Content;
import io.hermod.egress.EgressSource;
import io.hermod.testing.PeerSession;
import io.hermod.testing.ScriptedSmtpPeer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs naming an egress source go out from its address with its EHLO name: a scripted peer on 127.0.0.1 sees
 * the client's address (loopback aliases 127.0.0.2 and 127.0.0.3) and its EHLO.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeliveryEgressTest {

  private DeliveryFixture fixture;
  private ScriptedSmtpPeer peer;

  @BeforeEach
  void setUp(Vertx vertx, @TempDir Path dir) throws Exception {
    fixture = new DeliveryFixture(vertx, dir);
    peer = await(new ScriptedSmtpPeer(vertx).capabilities("PIPELINING").start());
    Map<String, EgressSource> sources = new LinkedHashMap<>();
    sources.put("ip1", new EgressSource("ip1", "127.0.0.2", "out1.example"));
    sources.put("ip2", new EgressSource("ip2", "127.0.0.3", null));
    fixture.deploy(DeliveryFixture.options(5_000).withSources(sources));
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
    await(peer.close());
  }

  private DeliveryJob job(String id, String source, String rcpt) throws Exception {
    Content c = fixture.content(Buffer.buffer("Subject: " + id + "\r\n\r\nhello\r\n"));
    return new DeliveryJob(id, "peer.test", List.of(host("mx.peer.test", peer)), "sender@origin.test",
        List.of(new DeliveryJob.Rcpt(rcpt, "")), "", false, c.file().toString(), c.offset(), c.length(), null,
        "mx.peer.test", source);
  }

  @Test
  void eachSourceSendsFromItsAddressWithItsEhloName() throws Exception {
    assertEquals("DELIVERED", fixture.deliver(job("Q1", "ip1", "a@peer.test")).results().get(0).outcome().name());
    assertEquals("DELIVERED", fixture.deliver(job("Q2", "ip2", "b@peer.test")).results().get(0).outcome().name());
    assertEquals("DELIVERED", fixture.deliver(job("Q3", null, "c@peer.test")).results().get(0).outcome().name());

    List<PeerSession> sessions = peer.sessions();
    assertEquals(3, sessions.size(), "one connection per source: a source's connection carries only its jobs");
    assertEquals(List.of("127.0.0.2 out1.example", "127.0.0.3 hermod.test", "127.0.0.1 hermod.test"),
        sessions.stream().map(s -> s.remoteAddress() + " " + s.heloName()).toList());
    String line = fixture.logLines().stream().filter(l -> l.startsWith("Q1: ")).findFirst().orElseThrow();
    assertTrue(line.contains(", source=ip1, "), line);
    assertTrue(fixture.logLines().stream().filter(l -> l.startsWith("Q3: ")).noneMatch(l -> l.contains("source=")));
  }

  @Test
  void aSourcesConnectionIsReusedOnlyForItsOwnJobs() throws Exception {
    fixture.deliver(job("Q1", "ip1", "a@peer.test"));
    fixture.deliver(job("Q2", "ip1", "b@peer.test"));
    fixture.deliver(job("Q3", "ip2", "c@peer.test"));
    List<PeerSession> sessions = peer.sessions();
    assertEquals(2, sessions.size());
    assertEquals("127.0.0.2", sessions.get(0).remoteAddress());
    assertEquals(2, sessions.get(0).commands().stream().filter(c -> c.startsWith("MAIL FROM:")).count(),
        "ip1's second job reused ip1's connection");
    assertEquals("127.0.0.3", sessions.get(1).remoteAddress());
  }

  @Test
  void aSourceThisInstanceDoesNotHaveFallsBackToTheDefault() throws Exception {
    assertEquals("DELIVERED", fixture.deliver(job("Q1", "gone", "a@peer.test")).results().get(0).outcome().name());
    assertEquals("127.0.0.1 hermod.test", peer.sessions().get(0).remoteAddress() + " "
        + peer.sessions().get(0).heloName());
  }
}
