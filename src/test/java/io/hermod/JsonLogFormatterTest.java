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

  @Test
  void textIsTheDefaultOneLineFormat() {
    assertEquals(TextLogFormatter.class, Logging.formatter(LoggingConfig.Format.TEXT).getClass());
  }
}
