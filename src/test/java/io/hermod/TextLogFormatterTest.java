package io.hermod;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.TimeZone;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/** The text log format prints what SimpleFormatter with Logging.TEXT_FORMAT printed, character for character. */
class TextLogFormatterTest {

  @Test
  void sameLinesAsSimpleFormatterWithTheTextFormat() {
    String before = System.getProperty("java.util.logging.SimpleFormatter.format");
    TimeZone zone = TimeZone.getDefault();
    System.setProperty("java.util.logging.SimpleFormatter.format", Logging.TEXT_FORMAT);
    try {
      for (String id : List.of("UTC", "Europe/Berlin", "America/St_Johns")) {
        TimeZone.setDefault(TimeZone.getTimeZone(id));
        SimpleFormatter simple = new SimpleFormatter();
        TextLogFormatter text = new TextLogFormatter();
        for (LogRecord record : records()) {
          assertEquals(simple.format(record), text.format(record), id + ": " + record.getMessage());
        }
      }
    } finally {
      TimeZone.setDefault(zone);
      if (before == null) {
        System.clearProperty("java.util.logging.SimpleFormatter.format");
      } else {
        System.setProperty("java.util.logging.SimpleFormatter.format", before);
      }
    }
  }

  private static List<LogRecord> records() {
    LogRecord plain = record(Level.INFO,
        "Q1: to=<u@example.test>, relay=none, delay=0.00, dsn=2.0.0, status=sent (250 ok)", 1_700_000_000_123L);
    LogRecord params = record(Level.WARNING, "queue id {0}: line one\nline two", 1_700_000_000_007L);
    params.setParameters(new Object[] {"01abc"});
    LogRecord thrown = record(Level.SEVERE, "failed", 946_684_799_999L);
    thrown.setThrown(new IllegalStateException("boom", new RuntimeException("cause")));
    LogRecord noLogger = record(Level.FINE, "no logger name; 100% {not a pattern", 0L);
    noLogger.setLoggerName(null);
    return List.of(plain, params, thrown, noLogger, record(Level.CONFIG, "", 253_402_200_000_000L));
  }

  private static LogRecord record(Level level, String message, long millis) {
    LogRecord record = new LogRecord(level, message);
    record.setLoggerName("io.hermod.delivery.DeliveryVerticle");
    record.setMillis(millis);
    return record;
  }
}
