package io.hermod;

import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * logging.format "json": one JSON object per line with time, level, logger and message (and "error" with
 * the stack trace when the record has one; "fields" when the record's only parameter is a JSON object, as the
 * session summary's is), for log shippers. Same records as the text format: Hermod never
 * logs passwords or message bodies in either.
 */
public final class JsonLogFormatter extends Formatter {

  @Override
  public String format(LogRecord record) {
    JsonObject line = new JsonObject()
        .put("time", Instant.ofEpochMilli(record.getMillis()).toString())
        .put("level", record.getLevel().getName())
        .put("logger", record.getLoggerName())
        .put("message", formatMessage(record));
    Object[] params = record.getParameters();
    if (params != null && params.length == 1 && params[0] instanceof JsonObject fields) {
      line.put("fields", fields); // a record that carries its data structured too (the session summary)
    }
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      line.put("error", trace.toString());
    }
    return line.encode() + System.lineSeparator(); // encode() escapes newlines: one object per line
  }
}
