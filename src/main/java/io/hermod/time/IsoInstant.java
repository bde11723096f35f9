package io.hermod.time;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * {@link Instant#toString()} (ISO-8601, UTC, the fraction in groups of three digits as needed), its digits written
 * directly: what the spool's envelopes and the delivery events write for every message. No cache: a message's
 * arrival and its event's time (or next attempt) are often seconds apart, so one per-second entry would be
 * rebuilt at every call.
 */
public final class IsoInstant {

  /** Year 0 and year 9999 (Instant prints other years with a sign or more digits: left to it). */
  private static final long FIRST = LocalDateTime.of(0, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
  private static final long LAST = LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC);

  private IsoInstant() {
  }

  /** Exactly {@code instant.toString()}. */
  public static String format(Instant instant) {
    long epochSecond = instant.getEpochSecond();
    if (epochSecond < FIRST || epochSecond > LAST) {
      return instant.toString();
    }
    LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
    // ASCII digits into a byte array, then one Latin-1 String: no StringBuilder bounds and coder checks per digit.
    byte[] b = new byte[30];
    int at = digits(b, 0, t.getYear(), 4);
    b[at++] = '-';
    at = digits(b, at, t.getMonthValue(), 2);
    b[at++] = '-';
    at = digits(b, at, t.getDayOfMonth(), 2);
    b[at++] = 'T';
    at = digits(b, at, t.getHour(), 2);
    b[at++] = ':';
    at = digits(b, at, t.getMinute(), 2);
    b[at++] = ':';
    at = digits(b, at, t.getSecond(), 2);
    int nano = instant.getNano();
    if (nano != 0) {
      b[at++] = '.';
      // java.time.format.DateTimeFormatter.ISO_INSTANT: 3, 6 or 9 digits, as many as the value needs
      if (nano % 1_000_000 == 0) {
        at = digits(b, at, nano / 1_000_000, 3);
      } else if (nano % 1_000 == 0) {
        at = digits(b, at, nano / 1_000, 6);
      } else {
        at = digits(b, at, nano, 9);
      }
    }
    b[at++] = 'Z';
    return new String(b, 0, at, StandardCharsets.ISO_8859_1);
  }

  /** {@code value} in exactly {@code count} decimal digits at {@code at}; where they end. */
  private static int digits(byte[] b, int at, int value, int count) {
    for (int i = at + count - 1; i >= at; i--) {
      b[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    return at + count;
  }
}
