package io.hermod.time;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * {@link Instant#toString()} (ISO-8601, UTC, the fraction in groups of three digits as needed), its digits written
 * directly: what the spool's envelopes and the delivery events write for every message (four or more times each).
 * The date and time of day of the last second formatted are kept (one immutable entry, as in
 * {@link PerSecondText}): under load a message's arrival, its next attempt and its events' times fall in the
 * same second, and only the fraction differs. A call in another second (a retried message's arrival) builds
 * the entry anew, which costs what the call cost without it.
 */
public final class IsoInstant {

  /** Year 0 and year 9999 (Instant prints other years with a sign or more digits: left to it). */
  private static final long FIRST = LocalDateTime.of(0, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
  private static final long LAST = LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC);

  /** "yyyy-MM-ddTHH:mm:ss": the length of a second's date and time of day (years 0 to 9999). */
  private static final int DATE_AND_TIME = 19;

  /** A second and its date and time of day; the bytes are never changed once built. */
  private record Second(long epochSecond, byte[] text) {
  }

  private static volatile Second last = new Second(Long.MIN_VALUE, new byte[DATE_AND_TIME]);

  private IsoInstant() {
  }

  /** Exactly {@code instant.toString()}. */
  public static String format(Instant instant) {
    long epochSecond = instant.getEpochSecond();
    if (epochSecond < FIRST || epochSecond > LAST) {
      return instant.toString();
    }
    Second second = last;
    if (second.epochSecond != epochSecond) {
      second = new Second(epochSecond, dateAndTime(epochSecond));
      last = second;
    }
    // ASCII digits into a byte array, then one Latin-1 String: no StringBuilder bounds and coder checks per digit.
    byte[] b = new byte[30];
    System.arraycopy(second.text, 0, b, 0, DATE_AND_TIME);
    int at = DATE_AND_TIME;
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

  /** "yyyy-MM-ddTHH:mm:ss" of the second, as ASCII bytes. */
  private static byte[] dateAndTime(long epochSecond) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
    byte[] b = new byte[DATE_AND_TIME];
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
    digits(b, at, t.getSecond(), 2);
    return b;
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
