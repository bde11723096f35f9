package io.hermod;

import io.hermod.time.PerSecondText;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * logging.format "text": {@code 2026-01-02T03:04:05.678Z INFO io.hermod.Hermod: message}, then the stack trace on
 * the next lines when the record has one. The same characters as {@code SimpleFormatter} with the format
 * {@link Logging#TEXT_FORMAT} (local time followed by a literal "Z", as that format printed it), without its costs
 * per record: a {@code String.format} with date conversions, and the stack walk that finds the record's caller
 * (SimpleFormatter asks for it although the format never prints it). The delivery log writes one record per
 * recipient (issue #17).
 */
public final class TextLogFormatter extends Formatter {

  /** The local date and time of day, built once per second; the milliseconds are appended per record. */
  private static final PerSecondText SECOND =
      new PerSecondText(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT)::format);

  @Override
  public String format(LogRecord record) {
    StringBuilder line = new StringBuilder(160);
    Instant at = record.getInstant();
    int millis = at.getNano() / 1_000_000;
    line.append(SECOND.of(ZonedDateTime.ofInstant(at, ZoneId.systemDefault()))).append('.')
        .append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10)).append((char) ('0' + millis % 10))
        .append('Z');
    line.append(' ').append(record.getLevel().getLocalizedName()).append(' ').append(record.getLoggerName())
        .append(": ").append(formatMessage(record));
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      try (PrintWriter out = new PrintWriter(trace)) {
        out.println();
        record.getThrown().printStackTrace(out);
      }
      line.append(trace);
    }
    return line.append(System.lineSeparator()).toString();
  }
}
