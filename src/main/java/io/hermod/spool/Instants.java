package io.hermod.spool;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Instant.parse of the form Instant.toString writes ("2026-01-02T03:04:05Z", optionally with a fraction of
 * up to 9 digits), without DateTimeFormatter: recovery parses two instants per queued message and the
 * formatter's generic resolution was most of an envelope's parse. Anything else goes to Instant.parse.
 */
final class Instants {

  private Instants() {
  }

  static Instant parse(String text) {
    int n = text.length();
    if (n < 20 || n > 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
        || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(n - 1) != 'Z'
        || (n > 20 && (text.charAt(19) != '.' || n == 21))) {
      return Instant.parse(text);
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 7);
    int day = digits(text, 8, 10);
    int hour = digits(text, 11, 13);
    int minute = digits(text, 14, 16);
    int second = digits(text, 17, 19);
    int nanos = n > 20 ? digits(text, 20, n - 1) : 0;
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
        || minute > 59 || second < 0 || second > 59 || nanos < 0 || day > LocalDate.of(year, month, 1).lengthOfMonth()) {
      return Instant.parse(text);
    }
    for (int i = n - 1 - 20; i < 9 && n > 20; i++) {
      nanos *= 10;
    }
    long days = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(days * 86_400 + hour * 3600L + minute * 60L + second, nanos);
  }

  /** The decimal number in {@code [from, to)}, or -1 if anything there is not a digit. */
  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
