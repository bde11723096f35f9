package io.hermod.time;

import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PerSecondTextTest {

  private static final DateTimeFormatter RFC5322 = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

  @Test
  void formatsOncePerSecondAndOffset() {
    AtomicInteger built = new AtomicInteger();
    PerSecondText text = new PerSecondText(t -> {
      built.incrementAndGet();
      return RFC5322.format(t);
    });
    ZonedDateTime t = ZonedDateTime.of(2026, 12, 6, 18, 7, 43, 0, ZoneOffset.UTC);
    assertEquals("Sun, 6 Dec 2026 18:07:43 +0000", text.of(t));
    assertEquals("Sun, 6 Dec 2026 18:07:43 +0000", text.of(t.plusNanos(999_999_999)));
    assertEquals(1, built.get(), "the same second is built once");
    assertEquals("Sun, 6 Dec 2026 18:07:44 +0000", text.of(t.plusSeconds(1)));
    assertEquals("Sun, 6 Dec 2026 20:07:44 +0200",
        text.of(t.plusSeconds(1).withZoneSameInstant(ZoneOffset.ofHours(2))), "another offset is another text");
    assertEquals("Sun, 6 Dec 2026 18:07:43 +0000", text.of(t.plusNanos(1)), "going back a second works too");
    assertEquals(4, built.get());
  }

  @Test
  void agreesWithItsFormatterAcrossThreads() throws InterruptedException {
    PerSecondText text = new PerSecondText(RFC5322::format);
    ZonedDateTime start = ZonedDateTime.of(2026, 12, 6, 23, 59, 50, 0, ZoneOffset.ofHours(-5));
    List<Thread> threads = new ArrayList<>();
    List<AssertionError> errors = new ArrayList<>();
    for (int n = 0; n < 4; n++) {
      int k = n;
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 50_000; i++) {
          ZonedDateTime t = start.plusNanos((i * 7L + k) * 1_000_003L % 20_000_000_000L);
          String expected = RFC5322.format(t);
          String got = text.of(t);
          if (!expected.equals(got)) {
            synchronized (errors) {
              errors.add(new AssertionError(t + ": " + got + " != " + expected));
            }
            return;
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(List.of(), errors);
  }
}
