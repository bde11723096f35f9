package io.hermod.server;

import io.hermod.auth.WindowCounter;
import io.hermod.testing.SmtpLineClient;
import io.hermod.testing.TestHermod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** limits.maxConnectionRatePerIp over real sockets (only 127.0.0.1 is trusted), and the bounded counter. */
@Timeout(60)
class ConnectionRateTest {

  @TempDir
  Path temp;

  private final AtomicLong now = new AtomicLong(1_000_000);

  @Test
  void theConnectionOverTheRateIsRefusedWhileOtherAddressesAndTrustedNetworksGoOn() throws Exception {
    // Two listener instances (two event loops) share the counter.
    JsonObject config = new JsonObject()
        .put("limits", new JsonObject().put("maxConnectionRatePerIp", 3).put("connectionRateWindowSeconds", 3600))
        .put("listeners", new JsonArray().add(new JsonObject().put("name", "mx").put("host", "127.0.0.1")
            .put("port", 0).put("role", "mx").put("tls", "none").put("instances", 2)));
    try (TestHermod h = TestHermod.start(temp, config)) {
      for (int i = 0; i < 3; i++) {
        try (SmtpLineClient c = SmtpLineClient.connectFrom("127.0.0.2", "127.0.0.1", h.port())) {
          c.expect(220);
          c.send("QUIT").expect(221);
        }
      }
      try (SmtpLineClient c = SmtpLineClient.connectFrom("127.0.0.2", "127.0.0.1", h.port())) {
        assertEquals("421 4.7.0 mx.hermod.test Error: too many connections from your address, try again later",
            c.expect(421));
        assertTrue(c.closedByServer());
      }
      // Another untrusted address completes a whole transaction meanwhile.
      try (SmtpLineClient c = SmtpLineClient.connectFrom("127.0.0.3", "127.0.0.1", h.port())) {
        c.expect(220);
        c.send("EHLO client.test").expect(250);
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("RCPT TO:<bob@local.test>").expect(250);
        c.send("DATA").expect(354);
        c.send("Subject: hi").send("").send("hello").send(".");
        assertTrue(c.expect(250).startsWith("250 2.0.0 OK: queued as "));
        c.send("QUIT").expect(221);
      }
      // Trusted networks are exempt.
      for (int i = 0; i < 5; i++) {
        try (SmtpLineClient c = SmtpLineClient.connectFrom("127.0.0.1", "127.0.0.1", h.port())) {
          c.expect(220);
        }
      }
      // And the refused address stays refused within the window (refused attempts count too).
      try (SmtpLineClient c = SmtpLineClient.connectFrom("127.0.0.2", "127.0.0.1", h.port())) {
        c.expect(421);
      }
    }
  }

  @Test
  void zeroTurnsTheRateLimitOff() {
    ConnectionRate off = new ConnectionRate(0, new WindowCounter(60_000, 10, now::get));
    for (int i = 0; i < 1000; i++) {
      assertTrue(off.admit("192.0.2.1"));
    }
  }

  @Test
  void rateIsCountedPerAddressInAFixedWindow() {
    ConnectionRate rate = new ConnectionRate(2, new WindowCounter(60_000, 10, now::get));
    assertTrue(rate.admit("192.0.2.1"));
    now.addAndGet(59_000);
    assertTrue(rate.admit("192.0.2.1"));
    assertFalse(rate.admit("192.0.2.1"));
    assertTrue(rate.admit("192.0.2.2"));
    now.addAndGet(1_000); // the window, from the first connection, is over
    assertTrue(rate.admit("192.0.2.1"));
  }

  @Test
  void listenersOnSeveralThreadsShareOneExactCount() throws Exception {
    ConnectionRate rate = new ConnectionRate(500, new WindowCounter(60_000, 10, now::get));
    java.util.concurrent.atomic.AtomicInteger admitted = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.List<java.util.concurrent.Future<?>> runs = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        runs.add(pool.submit(() -> {
          for (int i = 0; i < 1000; i++) {
            if (rate.admit("192.0.2.9")) {
              admitted.incrementAndGet();
            }
          }
        }));
      }
      for (java.util.concurrent.Future<?> r : runs) {
        r.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(500, admitted.get());
  }

  @Test
  void aFloodOfDistinctAddressesKeepsMemoryBoundedForgettingTheOldest() {
    WindowCounter counter = new WindowCounter(60_000, 1000, now::get);
    ConnectionRate rate = new ConnectionRate(1, counter);
    assertTrue(rate.admit("198.51.100.1"));
    assertFalse(rate.admit("198.51.100.1"));
    for (int i = 0; i < 100_000; i++) {
      rate.admit("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255));
      assertTrue(counter.tracked() <= 1000);
    }
    assertEquals(1000, counter.tracked());
    // The oldest address was evicted: it starts a fresh window (the documented trade-off).
    assertTrue(rate.admit("198.51.100.1"));
    // The most recent ones are still limited.
    assertFalse(rate.admit("10.1.134.159"));
  }
}
