package io.hermod.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Cached meters count exactly as meters built per call did: one series per (name, tag values), nothing registered
 * before first use, and the counts land in the registry a scrape reads.
 */
class MeterCacheTest {

  @Test
  void theSameNameAndTagValuesGiveTheSameMeterAndOthersTheirOwn() {
    MeterCache cache = new MeterCache(new SimpleMeterRegistry());
    Counter a = cache.counter("t.c", "d", "k", "x");
    assertSame(a, cache.counter("t.c", "d", "k", "x"));
    assertNotSame(a, cache.counter("t.c", "d", "k", "y"));
    assertNotSame(a, cache.counter("t.other", "d", "k", "x"));
  }

  @Test
  void countsReachTheRegistryPerSeries() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    HermodMetrics metrics = new HermodMetrics(registry);
    assertNull(registry.find("hermod.smtp.commands").counter(), "registered on first use only, as before");
    metrics.command("MAIL", 250);
    metrics.command("MAIL", 250);
    metrics.command("MAIL", 550);
    metrics.command("RCPT", 250);
    metrics.command("X", 1234); // an out-of-range code keeps the old tag shape
    assertEquals(2.0, registry.get("hermod.smtp.commands").tags("verb", "MAIL", "reply", "2xx").counter().count());
    assertEquals(1.0, registry.get("hermod.smtp.commands").tags("verb", "MAIL", "reply", "5xx").counter().count());
    assertEquals(1.0, registry.get("hermod.smtp.commands").tags("verb", "RCPT", "reply", "2xx").counter().count());
    assertEquals(1.0, registry.get("hermod.smtp.commands").tags("verb", "X", "reply", "12xx").counter().count());
    assertEquals("SMTP commands received, by verb and reply class",
        registry.get("hermod.smtp.commands").counter().getId().getDescription());

    metrics.messageAccepted(100);
    metrics.messageAccepted(24);
    assertEquals(2.0, registry.get("hermod.messages.accepted").counter().count());
    assertEquals(124.0, registry.get("hermod.bytes.received").counter().count());
  }

  @Test
  void threadsCountingAtOnceLoseNothing() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    HermodMetrics metrics = new HermodMetrics(registry);
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      String verb = t % 2 == 0 ? "MAIL" : "RCPT";
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 10_000; i++) {
          metrics.command(verb, 250);
        }
      });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertEquals(20_000.0, registry.get("hermod.smtp.commands").tags("verb", "MAIL").counter().count());
    assertEquals(20_000.0, registry.get("hermod.smtp.commands").tags("verb", "RCPT").counter().count());
    assertEquals(2, registry.find("hermod.smtp.commands").counters().size());
  }

  @Test
  void timersAreKeptToo() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    HermodMetrics metrics = new HermodMetrics(registry);
    metrics.deliveryDuration(1_000_000);
    metrics.deliveryDuration(3_000_000);
    metrics.deliveryOutcome("delivered", "2.0.0", Duration.ofMillis(20));
    metrics.deliveryOutcome("deferred", "4.2.2", Duration.ofMillis(20)); // not final: no residence
    metrics.deliveryOutcome("bounced", "5.1.1", Duration.ofMillis(40));
    assertEquals(2, registry.get("hermod.delivery.duration").timer().count());
    assertEquals(2, registry.get("hermod.queue.residence").timer().count());
    assertEquals(1.0, registry.get("hermod.delivery.attempts").tags("outcome", "deferred", "status_class", "4.2")
        .counter().count());
  }
}
