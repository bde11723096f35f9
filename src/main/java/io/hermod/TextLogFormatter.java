package io.hermod;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * The text log line, {@code 2026-12-06T15:50:09.780Z INFO io.hermod.delivery: message}, and a stack trace on the
 * lines after it when there is one. It replaces {@link java.util.logging.SimpleFormatter}, which asks every record
 * for its source class: that walks the caller's stack, and with {@code String.format} it made the delivery log's
 * line a tenth of the CPU of relaying a message (issue #17's profile). The time is UTC, as the {@code Z} says.
 */
final class TextLogFormatter extends Formatter {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  @Override
  public String format(LogRecord record) {
    StringBuilder line = new StringBuilder(160);
    TIME.formatTo(record.getInstant(), line);
    line.append(' ').append(record.getLevel().getLocalizedName()).append(' ').append(record.getLoggerName())
        .append(": ").append(formatMessage(record));
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      PrintWriter out = new PrintWriter(trace);
      out.println();
      record.getThrown().printStackTrace(out);
      out.close();
      line.append(trace);
    }
    return line.append(System.lineSeparator()).toString();
  }
}
