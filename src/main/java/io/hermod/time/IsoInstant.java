package io.hermod.time;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * {@link Instant#toString()} (ISO-8601, UTC, the fraction in groups of three digits as needed) with the date and
 * time of day built once per second: what the spool's envelopes and the delivery events write for every message.
 */
public final class IsoInstant {

  /** "2026-12-06T18:07:43" for the second (Instant's own text without its "Z"). */
  private static final PerSecondText SECOND = new PerSecondText(t -> {
    String s = t.toInstant().toString();
    return s.substring(0, s.length() - 1);
  });

  /** The seconds a ZonedDateTime can hold (years -999,999,999 to 999,999,999); Instant reaches a little further. */
  private static final long FIRST = java.time.LocalDateTime.MIN.toEpochSecond(ZoneOffset.UTC);
  private static final long LAST = java.time.LocalDateTime.MAX.toEpochSecond(ZoneOffset.UTC);

  private IsoInstant() {
  }

  /** Exactly {@code instant.toString()}. */
  public static String format(Instant instant) {
    if (instant.getEpochSecond() < FIRST || instant.getEpochSecond() > LAST) {
      return instant.toString();
    }
    String second = SECOND.of(instant.getEpochSecond(), ZoneOffset.UTC);
    int nano = instant.getNano();
    if (nano == 0) {
      return second + 'Z';
    }
    StringBuilder sb = new StringBuilder(second.length() + 11).append(second).append('.');
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
