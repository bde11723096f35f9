package io.hermod.time;

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
    StringBuilder sb = new StringBuilder(30);
    pad(sb, t.getYear(), 4);
    pad(sb.append('-'), t.getMonthValue(), 2);
    pad(sb.append('-'), t.getDayOfMonth(), 2);
    pad(sb.append('T'), t.getHour(), 2);
    pad(sb.append(':'), t.getMinute(), 2);
    pad(sb.append(':'), t.getSecond(), 2);
    int nano = instant.getNano();
    if (nano == 0) {
      return sb.append('Z').toString();
    }
    sb.append('.');
    // java.time.format.DateTimeFormatter.ISO_INSTANT: 3, 6 or 9 digits, as many as the value needs
    if (nano % 1_000_000 == 0) {
      pad(sb, nano / 1_000_000, 3);
    } else if (nano % 1_000 == 0) {
      pad(sb, nano / 1_000, 6);
    } else {
      pad(sb, nano, 9);
    }
    return sb.append('Z').toString();
  }

  private static void pad(StringBuilder sb, int value, int digits) {
    int start = sb.length();
    sb.setLength(start + digits);
    for (int i = start + digits - 1; i >= start; i--) {
      sb.setCharAt(i, (char) ('0' + value % 10));
      value /= 10;
    }
  }
}
