package io.hermod.spool;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Random;

/**
 * Queue ids: 16 characters of lower-case Crockford base32 ({@code 0-9 a-h j k m n p-t v-z}).
 * The first 9 characters are the milliseconds since the epoch (45 bits, good until the year 3084), so ids
 * sort by creation time; the last 7 are 35 bits that start at a random value each new millisecond and
 * count up within it (ULID-style). The random part keeps ids unique across restarts (even if the clock
 * went back) and across nodes that share nothing; the count keeps them unique and ordered within one
 * process. Example: {@code 01jbz4k8x3q7wm2a}.
 */
final class QueueIds {

  static final int LENGTH = 16;
  private static final int TIME_CHARS = 9;
  private static final int TAIL_CHARS = LENGTH - TIME_CHARS;
  private static final long TAIL_MASK = (1L << (5 * TAIL_CHARS)) - 1;
  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
  /** The id alphabet as a table: checked for every record at recovery, where a regex was a hot spot. */
  private static final boolean[] ALLOWED = new boolean[128];

  static {
    "0123456789abcdefghjkmnpqrstvwxyz".chars().forEach(c -> ALLOWED[c] = true);
  }

  private final Clock clock;
  private final Random random;
  private long lastMillis = -1;
  private long tail;

  QueueIds(Clock clock, Random random) {
    this.clock = clock;
    this.random = random;
  }

  QueueIds() {
    this(Clock.systemUTC(), new SecureRandom());
  }

  synchronized String next() {
    long millis = Math.max(clock.millis(), lastMillis);
    if (millis != lastMillis) {
      lastMillis = millis;
      // Leave headroom so the count rarely wraps within one millisecond.
      tail = random.nextLong() & (TAIL_MASK >>> 1);
    } else if (++tail > TAIL_MASK) {
      // 2^34 ids in one millisecond cannot happen; borrow the next millisecond to stay ordered anyway.
      lastMillis++;
      tail = 0;
    }
    char[] id = new char[LENGTH];
    encode(lastMillis, id, 0, TIME_CHARS);
    encode(tail, id, TIME_CHARS, TAIL_CHARS);
    return new String(id);
  }

  /** True for a well-formed id: safe to use in a file name. */
  static boolean isValid(String id) {
    if (id == null || id.length() != LENGTH) {
      return false;
    }
    for (int i = 0; i < LENGTH; i++) {
      char c = id.charAt(i);
      if (c >= 128 || !ALLOWED[c]) {
        return false;
      }
    }
    return true;
  }

  private static void encode(long value, char[] out, int from, int chars) {
    for (int i = from + chars - 1; i >= from; i--) {
      out[i] = ALPHABET[(int) (value & 31)];
      value >>>= 5;
    }
  }
}
