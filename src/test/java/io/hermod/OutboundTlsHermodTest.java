package io.hermod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.spool.Recipient;
import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.SmtpLineClient;
import io.hermod.testing.TestHermod;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outbound TLS policies through a whole Hermod (listener, spool, router, delivery, admin API) to a scripted peer
 * on loopback: a per-destination {@code encrypt} defers a next hop without STARTTLS with its 4.7.4 reason, which
 * the queue view shows, while the default {@code may} delivers; a bad outboundTls.caFile stops the start.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OutboundTlsHermodTest {

  @TempDir
  Path temp;

  private static JsonObject routedTo(int port, String level) {
    String hop = "[127.0.0.1]:" + port;
    return new JsonObject()
        .put("routing", new JsonObject().put("routes", new JsonObject().put("good.test", hop).put("lax.test", hop)))
        .put("outboundTls", new JsonObject().put("policies", new JsonObject().put(hop, level)));
  }

  private static Recipient waitForAttempt(TestHermod h, String id) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      Recipient r = h.hermod.spool().load(id).await().recipients().get(0);
      if (r.lastReply() != null) {
        return r;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no attempt recorded for " + id);
  }

  @Test
  void aNextHopThatCannotMeetItsPolicyWaitsWithThePolicysReason() throws Exception {
    Vertx peerVertx = Vertx.vertx();
    try {
      ScriptedSmtpPeer peer = new ScriptedSmtpPeer(peerVertx).capabilities("PIPELINING"); // no STARTTLS
      peer.start().await();
      try (TestHermod h = TestHermod.start(temp, routedTo(peer.port(), "encrypt"))) {
        String id = SmtpLineClient.transaction(h.port(), "alice@local.test", "", List.of("bob@good.test"),
            "Subject: tls\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII));

        Recipient bob = waitForAttempt(h, id);
        assertTrue(bob.lastReply().startsWith("451 4.7.4 "), bob.lastReply());
        assertTrue(bob.lastReply().contains("TLS policy encrypt (config, [127.0.0.1]:" + peer.port()
            + ") not met: 127.0.0.1 did not offer STARTTLS"), bob.lastReply());
        assertTrue(peer.messages().isEmpty());
        String view = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + h.httpPort() + "/queue/" + id)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(view.contains("TLS policy encrypt"), "the queue view shows why it waits: " + view);
      }
    } finally {
      peerVertx.close().await();
    }
  }

  @Test
  void theDefaultMayDeliversInPlaintext() throws Exception {
    Vertx peerVertx = Vertx.vertx();
    try {
      ScriptedSmtpPeer peer = new ScriptedSmtpPeer(peerVertx).capabilities("PIPELINING");
      peer.start().await();
      try (TestHermod h = TestHermod.start(temp, routedTo(peer.port(), "may"))) {
        SmtpLineClient.transaction(h.port(), "alice@local.test", "", List.of("carol@lax.test"),
            "Subject: tls\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII));
        io.hermod.testing.Wait.until(() -> !peer.messages().isEmpty(), "the delivery", 20);
        assertEquals(1, peer.messages().size());
      }
    } finally {
      peerVertx.close().await();
    }
  }

  @Test
  void aMissingCaFileStopsTheStartNamingIt() {
    Path missing = temp.resolve("no-such-ca.pem");
    RuntimeException e = assertThrows(RuntimeException.class, () -> TestHermod.start(temp.resolve("spool"),
        new JsonObject().put("outboundTls", new JsonObject().put("caFile", missing.toString()))));
    assertTrue(String.valueOf(e.getMessage()).contains("no-such-ca.pem"), String.valueOf(e.getMessage()));
  }
}
