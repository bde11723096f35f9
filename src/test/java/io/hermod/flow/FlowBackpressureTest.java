package io.hermod.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.testing.PeerAction;
import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.TestHermod;
import io.hermod.testing.Wait;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mechanism end to end, on loopback: a fast client (smtp-source, {@value #SESSIONS} sessions, a connection
 * per message) sends {@value #MESSAGES} messages to a Hermod that relays to a slow peer (2 connections, each
 * end of data answered {@value #PEER_DELAY_MS} ms late: about 40 deliveries a second at most). With flow control
 * the backlog of due mail stays under a bound derived from the settings and every message is delivered;
 * without it the same load piles up past that bound. Nothing here asserts a duration.
 *
 * <p>The bound: below {@code backlogHigh} a transaction waits less than {@code maxDelayMillis}; at or above it
 * every transaction waits the whole {@code maxDelayMillis} (1 s) before its reply, so each of the S sessions
 * commits at most once more after the backlog reached the high mark, and then at most once a second, while
 * delivery takes about 40 a second out of it (S = 8 < 40). So the backlog never exceeds backlogHigh + S.
 */
class FlowBackpressureTest {

  private static final int SESSIONS = 8;
  private static final int MESSAGES = 300;
  private static final int PEER_DELAY_MS = 50;
  private static final int LOW = 10;
  private static final int HIGH = 60;

  @TempDir
  Path temp;

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void theBacklogStaysUnderItsBoundAndEverythingIsDelivered() throws Exception {
    Run run = relay(true);
    assertEquals(MESSAGES, run.delivered, "every message delivered");
    assertTrue(run.peakBacklog <= HIGH + SESSIONS,
        "backlog peaked at " + run.peakBacklog + ", bound " + (HIGH + SESSIONS));
    assertTrue(run.delayed > 0, "flow control delayed no transaction (peak backlog " + run.peakBacklog + ")");
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void withoutFlowControlTheSameLoadPilesUp() throws Exception {
    Run run = relay(false);
    assertEquals(MESSAGES, run.delivered, "every message delivered");
    assertEquals(0, run.delayed);
    assertTrue(run.peakBacklog > HIGH + SESSIONS,
        "without flow control the backlog peaked at only " + run.peakBacklog + ": the client was not faster than the peer");
  }

  private record Run(int delivered, long peakBacklog, double delayed) {
  }

  private Run relay(boolean flow) throws Exception {
    Vertx peerVertx = Vertx.vertx();
    AtomicBoolean sampling = new AtomicBoolean(true);
    AtomicLong peak = new AtomicLong();
    try {
      ScriptedSmtpPeer peer = new ScriptedSmtpPeer(peerVertx)
          .afterData(PeerAction.replyAfter(PEER_DELAY_MS, "250 2.0.0 queued")).start().await();
      try (TestHermod h = TestHermod.start(temp.resolve(flow ? "on" : "off"), new JsonObject()
          .put("routing", new JsonObject().put("routes", new JsonObject().put("peer.test", "[127.0.0.1]:" + peer.port())))
          .put("delivery", new JsonObject().put("maxConnections", 2).put("maxConnectionsPerDestination", 2)
              .put("maxMessagesPerConnection", 1000).put("activeWindow", 20).put("scanIntervalSeconds", 1))
          .put("flow", new JsonObject().put("enabled", flow).put("backlogLow", LOW).put("backlogHigh", HIGH)
              .put("maxDelayMillis", 1000).put("burstSeconds", 0)))) {
        // The backlog is read as often as possible while the load runs (a sample can only miss a peak, never invent one).
        Thread sampler = new Thread(() -> {
          while (sampling.get()) {
            peak.accumulateAndGet(h.hermod.queueIndex().counts(java.time.Instant.now()).ready(), Math::max);
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
          }
        }, "backlog-sampler");
        sampler.setDaemon(true);
        sampler.start();
        Process source = new ProcessBuilder("/usr/sbin/smtp-source", "-s", String.valueOf(SESSIONS),
            "-m", String.valueOf(MESSAGES), "-l", "512", "-d", "-f", "load@local.test", "-t", "u@peer.test",
            "127.0.0.1:" + h.port()).redirectErrorStream(true).start();
        try {
          String out = new String(source.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          assertTrue(source.waitFor(120, TimeUnit.SECONDS), "smtp-source did not finish");
          assertEquals(0, source.exitValue(), out);
        } finally {
          source.destroyForcibly(); // never left behind, whatever fails (a no-op once it has exited)
        }
        Wait.until(() -> peer.messages().size() >= MESSAGES, MESSAGES + " messages at the peer", 120);
        sampling.set(false);
        sampler.join();
        double delayed = h.hermod.registry().find("hermod.flow.delayed").counters().stream()
            .mapToDouble(Counter::count).sum();
        int delivered = peer.messages().size();
        System.out.println("flow " + (flow ? "on" : "off") + ": peak backlog " + peak.get() + ", delayed " + delayed
            + ", delivered " + delivered);
        peer.close().await();
        return new Run(delivered, peak.get(), delayed);
      }
    } finally {
      sampling.set(false);
      peerVertx.close().await();
    }
  }
}
