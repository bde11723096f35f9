package io.hermod;

import io.hermod.config.LoggingConfig;

import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Log records on stderr (java.util.logging, which Vert.x uses by default): one line each, as text or as
 * JSON (logging.format, docs/operations.md).
 */
final class Logging {

  /** The text format, as SimpleFormatter's format string: what {@link TextLogFormatter} prints. */
  static final String TEXT_FORMAT = "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n";

  private Logging() {
  }

  static void configure(LoggingConfig.Format format) {
    LogNoise.drop();
    if (System.getProperty("java.util.logging.config.file") != null) {
      return; // the operator brought their own
    }
    System.setProperty("java.util.logging.SimpleFormatter.format", TEXT_FORMAT); // for any other SimpleFormatter
    LogManager.getLogManager().reset();
    QueuedStderrHandler handler = new QueuedStderrHandler(System.err); // not on the event loops: see the class
    handler.setFormatter(formatter(format));
    handler.setLevel(Level.ALL);
    Logger root = Logger.getLogger("");
    root.addHandler(handler);
    root.setLevel(Level.INFO);
  }

  static Formatter formatter(LoggingConfig.Format format) {
    return format == LoggingConfig.Format.JSON ? new JsonLogFormatter() : new TextLogFormatter();
  }
}
