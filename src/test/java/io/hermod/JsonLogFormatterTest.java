package io.hermod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.config.LoggingConfig;
import io.vertx.core.json.JsonObject;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class JsonLogFormatterTest {

  @Test
  void oneJsonObjectPerLineWithTimeLevelLoggerMessage() {
    LogRecord record = new LogRecord(Level.WARNING, "queue id {0}: line one\nline two");
    record.setParameters(new Object[] {"01abc"});
    record.setLoggerName("io.hermod.routing.RouterVerticle");
    record.setMillis(1_700_000_000_123L);
    record.setThrown(new IllegalStateException("boom"));
    String line = Logging.formatter(LoggingConfig.Format.JSON).format(record);

    assertTrue(line.endsWith(System.lineSeparator()));
    assertEquals(1, line.strip().lines().count(), "newlines in the message are escaped: " + line);
    JsonObject json = new JsonObject(line);
    assertEquals("2023-11-14T22:13:20.123Z", json.getString("time"));
    assertEquals("WARNING", json.getString("level"));
    assertEquals("io.hermod.routing.RouterVerticle", json.getString("logger"));
    assertEquals("queue id 01abc: line one\nline two", json.getString("message"));
    assertTrue(json.getString("error").contains("IllegalStateException: boom"));
  }

  /**
   * The text line (the default format): the same shape SimpleFormatter printed with Hermod's pattern, time in UTC,
   * parameters filled in, a stack trace after it; and the record is never asked for its source class (that
   * walks the stack: issue #17's profile).
   */
  @Test
  void textIsOneLineWithTimeLevelLoggerMessageAndNoSourceLookup() {
    LogRecord record = new LogRecord(Level.INFO, "queue id {0}: delivered") {
      @Override
      public String getSourceClassName() {
        throw new AssertionError("the formatter looked up the source class");
      }

      @Override
      public String getSourceMethodName() {
        throw new AssertionError("the formatter looked up the source method");
      }
    };
    record.setParameters(new Object[] {"01abc"});
    record.setLoggerName("io.hermod.delivery");
    record.setMillis(1_700_000_000_123L);
    String line = Logging.formatter(LoggingConfig.Format.TEXT).format(record);
    assertEquals("2023-11-14T22:13:20.123Z INFO io.hermod.delivery: queue id 01abc: delivered"
        + System.lineSeparator(), line);

    record.setThrown(new IllegalStateException("boom"));
    String[] lines = Logging.formatter(LoggingConfig.Format.TEXT).format(record).split(System.lineSeparator());
    assertEquals("2023-11-14T22:13:20.123Z INFO io.hermod.delivery: queue id 01abc: delivered", lines[0]);
    assertEquals("java.lang.IllegalStateException: boom", lines[1]);
    assertTrue(lines[2].strip().startsWith("at io.hermod."), lines[2]);
  }
}
