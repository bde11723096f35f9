package io.hermod.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The messages a java.util.logging logger (and its children) logs while attached; {@link #close()} detaches. */
public final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord r) {
      messages.add(r.getMessage());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  public LogCapture(String loggerName) {
    this.logger = Logger.getLogger(loggerName);
    logger.addHandler(handler);
  }

  /** Every message so far, in order. */
  public List<String> messages() {
    return List.copyOf(messages);
  }

  public boolean anyContains(String text) {
    return messages.stream().anyMatch(m -> m.contains(text));
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
  }
}
