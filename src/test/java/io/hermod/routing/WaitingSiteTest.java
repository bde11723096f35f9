package io.hermod.routing;

import io.hermod.api.Addresses;
import io.hermod.queue.QueueIndex;
import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.SmtpLineClient;
import io.hermod.testing.TestHermod;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13: "a site that is dead or suspended costs nothing per message while it is". Mail for a dead
 * smarthost is deferred once (the attempt that found it dead); after that, each message that comes due again
 * waits in the queue index for the site, without a spool update, an event or a log line, however many retry
 * rounds pass; and it is all delivered once the site answers.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WaitingSiteTest {

  private static final byte[] MESSAGE = "Subject: t\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

  @TempDir
  Path dir;
  private final Vertx peers = Vertx.vertx();
  private final List<JsonObject> events = new CopyOnWriteArrayList<>();
  private TestHermod hermod;

  @AfterEach
  void tearDown() {
    if (hermod != null) {
      hermod.close();
    }
    peers.close().await();
  }

  @Test
  void aDeadSitesMailWaitsInTheIndexThroughManyRetryRoundsThenGoesWhenItAnswers() throws Exception {
    ScriptedSmtpPeer peer = new ScriptedSmtpPeer(peers).greeting("421 4.3.2 peer.test not accepting mail now");
    peer.start().await();
    // Retries every 2 s, no spread: without the index every message would be deferred again each round.
    hermod = TestHermod.start(dir.resolve("spool"), new JsonObject()
        .put("routing", new JsonObject().put("smarthost", "[127.0.0.1]:" + peer.port()))
        .put("delivery", new JsonObject().put("retryInitialSeconds", 2).put("retryMaxSeconds", 2)
            .put("retrySpreadSeconds", 0).put("delayWarningSeconds", 0))
        .put("shaping", new JsonObject().put("probeSeconds", 15).put("maxProbeSeconds", 15)));
    hermod.vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> events.add(m.body())).completion().await();
    int messages = 100;
    for (int i = 0; i < messages; i++) {
      SmtpLineClient.transaction(hermod.port(), "s@local.test", "", List.of("r" + i + "@remote.test"), MESSAGE);
    }
    QueueIndex index = hermod.hermod.queueIndex();
    RouterFixture.until("every message deferred once", 30, () -> deferred() >= messages);
    RouterFixture.until("every message waiting for its site once due again", 30,
        () -> index.counts(Instant.now()).waiting() == messages);
    long deferredThen = deferred();
    int sessionsThen = peer.sessions().size();
    Thread.sleep(6_000); // three more retry rounds
    // At most the probe (due 15 s after the site died) may have gone meanwhile on a slow machine.
    assertTrue(deferred() <= deferredThen + 1, "no message deferred again while its site is dead: "
        + deferredThen + " then " + deferred());
    assertTrue(peer.sessions().size() <= sessionsThen + 1, "no connection but a due probe");
    assertTrue(index.counts(Instant.now()).waiting() >= messages - 1);
    assertTrue(deferredThen <= messages + 1, "each message deferred once: " + deferredThen);

    peer.greeting("220 peer.test ESMTP back");
    RouterFixture.until("all delivered once the probe reaches the site", 60,
        () -> events.stream().filter(e -> "delivered".equals(e.getString("outcome"))).count() == messages);
    assertEquals(messages, peer.messages().size());
    assertEquals(0, index.size());
  }

  private long deferred() {
    return events.stream().filter(e -> "deferred".equals(e.getString("outcome"))).count();
  }
}
