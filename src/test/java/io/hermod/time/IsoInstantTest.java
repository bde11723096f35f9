package io.hermod.time;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IsoInstantTest {

  /** Each fraction width Instant.toString chooses, both sides of a second, and years it prints differently. */
  private static final List<Instant> CASES = List.of(
      Instant.parse("2026-12-06T18:07:43Z"),
      Instant.parse("2026-12-06T18:07:43.100Z"),
      Instant.parse("2026-12-06T18:07:43.001Z"),
      Instant.parse("2026-12-06T18:07:43.000100Z"),
      Instant.parse("2026-12-06T18:07:43.000000001Z"),
      Instant.parse("2026-12-06T18:07:43.999999999Z"),
      Instant.parse("2026-12-06T18:07:43.120Z"),
      Instant.parse("2026-12-06T18:07:44.000001Z"),
      Instant.EPOCH,
      Instant.ofEpochSecond(-1, 5),
      Instant.parse("0001-01-01T00:00:00.5Z"),
      Instant.parse("0000-01-01T00:00:00Z"),
      Instant.parse("0000-01-01T00:00:00Z").minusNanos(1),
      Instant.parse("9999-12-31T23:59:59.999999999Z"),
      Instant.parse("9999-12-31T23:59:59.999999999Z").plusNanos(1),
      Instant.parse("2024-02-29T12:00:00Z"),
      Instant.parse("+12026-01-01T00:00:00.250Z"),
      Instant.MAX,
      Instant.MIN);

  @Test
  void formatsExactlyAsInstantToString() {
    for (Instant i : CASES) {
      assertEquals(i.toString(), IsoInstant.format(i), i::toString);
    }
  }

  @Test
  void randomInstantsFromYear0ToYear9999Agree() {
    SplittableRandom random = new SplittableRandom(8601);
    long first = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int n = 0; n < 20_000; n++) {
      Instant i = Instant.ofEpochSecond(random.nextLong(first, last + 1), random.nextInt(1_000_000_000)
          / (long) Math.pow(10, random.nextInt(10)) * (long) Math.pow(10, random.nextInt(3)) % 1_000_000_000);
      assertEquals(i.toString(), IsoInstant.format(i));
    }
  }

  @Test
  void randomInstantsInAndAroundOneSecondAgree() {
    SplittableRandom random = new SplittableRandom(17);
    long base = Instant.parse("2026-12-06T18:07:43Z").getEpochSecond();
    for (int n = 0; n < 20_000; n++) {
      Instant i = Instant.ofEpochSecond(base + random.nextInt(-2, 3), random.nextInt(1_000_000_000)
          / (long) Math.pow(10, random.nextInt(10)));
      assertEquals(i.toString(), IsoInstant.format(i));
    }
  }

  /** The kept second is shared by every thread: threads in different seconds replace it, never see a torn one. */
  @Test
  void threadsInDifferentSecondsAgree() throws Exception {
    long base = Instant.parse("2026-12-07T02:00:00Z").getEpochSecond();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<Integer>> wrong = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        long second = base + t * 3_601L; // another hour, minute and second per thread
        wrong.add(pool.submit(() -> {
          int bad = 0;
          for (int n = 0; n < 50_000; n++) {
            Instant i = Instant.ofEpochSecond(second + n % 2, n * 1_000_000L % 1_000_000_000L);
            bad += i.toString().equals(IsoInstant.format(i)) ? 0 : 1;
          }
          return bad;
        }));
      }
      for (java.util.concurrent.Future<Integer> w : wrong) {
        assertEquals(0, w.get(60, java.util.concurrent.TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
