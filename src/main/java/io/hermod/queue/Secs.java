package io.hermod.queue;

import java.time.Instant;

/**
 * Times as int seconds since 2020-01-01T00:00:00Z, so that an int lasts until 2088 (epoch seconds in an int
 * would end in 2038). The base is a whole minute, so {@code floorDiv(secs, 60)} are clock minutes.
 */
final class Secs {

  static final long BASE = 1_577_836_800L;

  private Secs() {
  }

  static int floor(Instant t) {
    return clamp(t.getEpochSecond() - BASE);
  }

  /** Rounded up: a next attempt at 10.5 s is due at 11, never early. */
  static int ceil(Instant t) {
    return clamp(t.getEpochSecond() + (t.getNano() > 0 ? 1 : 0) - BASE);
  }

  static Instant instant(int secs) {
    return Instant.ofEpochSecond(BASE + secs);
  }

  static int minute(int secs) {
    return Math.floorDiv(secs, 60);
  }

  /** Above Integer.MIN_VALUE (QueueIndex's "at once") and a block below the top (Schedule's blocks end above). */
  private static int clamp(long secs) {
    return (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE - 2 * Schedule.BLOCK, secs));
  }
}
