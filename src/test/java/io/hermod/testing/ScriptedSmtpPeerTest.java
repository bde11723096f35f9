package io.hermod.testing;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The test peer's own counters, which cap and concurrency tests rely on (a peer that never counted more than
 * one open session would let a broken cap pass); driven by plain sockets, not by the product's client.
 */
class ScriptedSmtpPeerTest {

  @Test
  void countsConcurrentSessions() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      ScriptedSmtpPeer peer = new ScriptedSmtpPeer(vertx).start().await();
      try (SmtpLineClient first = SmtpLineClient.connect("127.0.0.1", peer.port());
           SmtpLineClient second = SmtpLineClient.connect("127.0.0.1", peer.port())) {
        first.expect(220);
        second.expect(220); // both greeted: both accepted and open
        assertEquals(2, peer.maxConcurrentSessions());
        assertEquals(2, peer.openSessions());
        first.send("QUIT").expect(221);
        second.send("QUIT").expect(221);
      }
      assertEquals(2, peer.sessions().size());
      Wait.until(() -> peer.openSessions() == 0, "no session open once both quit", 10);
      assertEquals(2, peer.maxConcurrentSessions());
      peer.close().await();
    } finally {
      vertx.close().await();
    }
  }
}
