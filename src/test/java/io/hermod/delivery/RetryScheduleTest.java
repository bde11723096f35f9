package io.hermod.delivery;

import io.hermod.config.DeliveryConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryScheduleTest {

  /** Postfix-like: 5 min doubling to 4 h, 5 days lifetime, delay warning after 4 h. */
  private static final DeliveryConfig CONFIG = config(300, 14_400, 432_000, 14_400);
  private static final Instant ARRIVAL = Instant.parse("2025-03-01T10:00:00Z");

  private static DeliveryConfig config(int initial, int max, int lifetime, int warning) {
    return new DeliveryConfig(initial, max, lifetime, warning, 100, 10, 100, 1).withRetrySpreadSeconds(0);
  }

  /** A Random whose nextDouble is fixed: 0.5 is no jitter, 0.0 is -10 %, just under 1.0 is +10 %. */
  private static Random fixed(double value) {
    return new Random() {
      @Override
      public double nextDouble() {
        return value;
      }
    };
  }

  @ParameterizedTest(name = "after attempt {0} wait {1} s")
  @CsvSource({"1, 300", "2, 600", "3, 1200", "4, 2400", "5, 4800", "6, 9600", "7, 14400", "8, 14400",
      "50, 14400", "2147483647, 14400"})
  void delayDoublesFromInitialUpToTheCap(int attempts, long seconds) {
    RetrySchedule schedule = new RetrySchedule(CONFIG, fixed(0.5));
    Instant now = ARRIVAL.plusSeconds(60);
    assertEquals(now.plusSeconds(seconds), schedule.nextAttempt(ARRIVAL, attempts, now));
  }

  @Test
  void neverTriedIsDueNow() {
    RetrySchedule schedule = new RetrySchedule(CONFIG, fixed(0.99));
    assertEquals(ARRIVAL, schedule.nextAttempt(ARRIVAL, 0, ARRIVAL));
  }

  @Test
  void jitterStaysWithinTenPercentAndNeverPassesTheCap() {
    Instant now = ARRIVAL.plusSeconds(1);
    assertEquals(now.plusSeconds(270), new RetrySchedule(CONFIG, fixed(0.0)).nextAttempt(ARRIVAL, 1, now));
    assertEquals(now.plusSeconds(330),
        new RetrySchedule(CONFIG, fixed(1.0 - 1e-12)).nextAttempt(ARRIVAL, 1, now));
    assertEquals(now.plusSeconds(14_400),
        new RetrySchedule(CONFIG, fixed(1.0 - 1e-12)).nextAttempt(ARRIVAL, 9, now), "capped after jitter");
    assertEquals(now.plusSeconds(12_960), new RetrySchedule(CONFIG, fixed(0.0)).nextAttempt(ARRIVAL, 9, now));

    RetrySchedule seeded = new RetrySchedule(CONFIG, new Random(42));
    boolean sawBelow = false;
    boolean sawAbove = false;
    for (int i = 0; i < 2_000; i++) {
      long ms = Duration.between(now, seeded.nextAttempt(ARRIVAL, 3, now)).toMillis();
      assertTrue(ms >= 1_080_000 && ms <= 1_320_000, "1200 s ± 10 %, got " + ms + " ms");
      sawBelow |= ms < 1_200_000;
      sawAbove |= ms > 1_200_000;
    }
    assertTrue(sawBelow && sawAbove, "jitter goes both ways");
  }

  /** A storm of deferrals at one moment comes due spread over the whole spread window, not in one wave. */
  @Test
  void spreadScattersAStormOverItsWindowButNeverMoreThanTheDelay() {
    Instant now = ARRIVAL.plusSeconds(1);
    RetrySchedule spread = new RetrySchedule(CONFIG.withRetrySpreadSeconds(600), new Random(42));
    long[] perMinute = new long[20];
    for (int i = 0; i < 10_000; i++) {
      long s = Duration.between(now, spread.nextAttempt(ARRIVAL, 3, now)).toSeconds(); // 1200 s ± 10 % + 0..600
      assertTrue(s >= 1_080 && s <= 1_920, "within backoff ± jitter + spread: " + s);
      perMinute[(int) ((s - 1_080) / 60)]++;
    }
    for (int m = 2; m < 12; m++) { // the middle of the window: every minute gets a share, none gets most
      assertTrue(perMinute[m] > 300 && perMinute[m] < 2_500, "minute " + m + ": " + perMinute[m]);
    }
    // The spread is capped by the delay: a 1-second retry is not pushed out by minutes.
    RetrySchedule shortDelay = new RetrySchedule(config(1, 14_400, 432_000, 0).withRetrySpreadSeconds(600),
        fixed(1.0 - 1e-12));
    assertTrue(Duration.between(now, shortDelay.nextAttempt(ARRIVAL, 1, now)).toMillis() <= 2_100);
  }

  @Test
  void lastAttemptIsAtExpiryNotAfter() {
    RetrySchedule schedule = new RetrySchedule(CONFIG, fixed(0.5));
    Instant expiry = ARRIVAL.plusSeconds(432_000);
    Instant now = expiry.minusSeconds(100);
    assertEquals(expiry, schedule.nextAttempt(ARRIVAL, 20, now));
    Instant late = expiry.plusSeconds(5);
    assertEquals(late, schedule.nextAttempt(ARRIVAL, 20, late), "never in the past");
  }

  @Test
  void expiresAtExactlyTheLifetime() {
    RetrySchedule schedule = new RetrySchedule(CONFIG, fixed(0.5));
    Instant expiry = ARRIVAL.plusSeconds(432_000);
    assertEquals(expiry, schedule.expiry(ARRIVAL));
    assertFalse(schedule.expired(ARRIVAL, expiry.minusMillis(1)));
    assertTrue(schedule.expired(ARRIVAL, expiry));
    assertTrue(schedule.expired(ARRIVAL, expiry.plusSeconds(1)));
  }

  @Test
  void delayWarningOnceAfterItsTimeAndBeforeExpiry() {
    RetrySchedule schedule = new RetrySchedule(CONFIG, fixed(0.5));
    Instant due = ARRIVAL.plusSeconds(14_400);
    assertFalse(schedule.delayWarningDue(ARRIVAL, due.minusMillis(1), false));
    assertTrue(schedule.delayWarningDue(ARRIVAL, due, false));
    assertTrue(schedule.delayWarningDue(ARRIVAL, due.plusSeconds(3600), false));
    assertFalse(schedule.delayWarningDue(ARRIVAL, due, true), "already warned");
    assertFalse(schedule.delayWarningDue(ARRIVAL, ARRIVAL.plusSeconds(432_000), false), "expired: bounce instead");
  }

  @Test
  void zeroDelayWarningMeansNever() {
    RetrySchedule schedule = new RetrySchedule(config(300, 14_400, 432_000, 0), fixed(0.5));
    assertFalse(schedule.delayWarningDue(ARRIVAL, ARRIVAL.plusSeconds(400_000), false));
  }

  @Test
  void rejectsInconsistentConfig() {
    assertThrows(IllegalArgumentException.class, () -> new RetrySchedule(config(0, 10, 10, 0), fixed(0.5)));
    assertThrows(IllegalArgumentException.class, () -> new RetrySchedule(config(600, 300, 10, 0), fixed(0.5)));
    assertThrows(IllegalArgumentException.class, () -> new RetrySchedule(config(300, 600, 0, 0), fixed(0.5)));
    assertThrows(IllegalArgumentException.class, () -> new RetrySchedule(config(300, 600, 10, -1), fixed(0.5)));
  }
}
