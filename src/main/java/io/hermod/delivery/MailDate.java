package io.hermod.delivery;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** RFC 5322 §3.3 date-time, in UTC with a numeric zone ("Tue, 3 Jun 2025 11:05:30 +0000"). */
final class MailDate {

  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ROOT).withZone(ZoneOffset.UTC);

  private MailDate() {
  }

  static String format(Instant instant) {
    return FORMAT.format(instant);
  }
}
