package io.hermod;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * Log lines on stderr, written by a thread of their own: the thread that logs formats its line and queues it.
 * ConsoleHandler wrote and flushed each record on the caller's thread, under a lock every event loop shares: one
 * write(2) per delivered recipient on an event loop, which a slow reader of stderr (a pipe to a log shipper) could
 * block (issue #17). Here the writer takes what has queued and writes it with one call, then lets lines gather for
 * {@link #LINGER_NANOS} before it looks again.
 *
 * <p>Nothing is dropped: when {@link #CAPACITY} lines wait, the caller writes them and its own itself, in order,
 * as ConsoleHandler did. {@link #flush} and {@link #close} (the LogManager's reset at exit) write whatever waits.
 * A line still queued when the process is killed (SIGKILL) is lost, as a line in a stdio buffer would be.
 */
final class QueuedStderrHandler extends Handler {

  /** Lines that may wait for the writer; a full queue makes the logging thread write (backpressure). */
  static final int CAPACITY = 16_384;
  static final int BATCH = 1_024;
  /** How long the writer lets lines gather after a write: a log line reaches stderr at most this much later. */
  static final long LINGER_NANOS = 2_000_000L;

  private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final PrintStream out;
  private final Object writeLock = new Object();
  private final Thread writer;
  private volatile boolean closed;
  /** The writer is (about to be) parked: only then does a publish wake it (unpark is a system call). */
  private volatile boolean parked;

  QueuedStderrHandler(PrintStream out) {
    this.out = out;
    this.writer = new Thread(this::writeLoop, "hermod-log-writer");
    writer.setDaemon(true); // close() writes what waits; the thread must not keep the JVM alive
    writer.start();
  }

  @Override
  public void publish(LogRecord record) {
    if (!isLoggable(record)) {
      return;
    }
    String line;
    try {
      line = getFormatter().format(record);
    } catch (RuntimeException e) {
      reportError(null, e, ErrorManager.FORMAT_FAILURE);
      return;
    }
    if (!closed && queue.offer(line)) {
      if (parked) {
        LockSupport.unpark(writer);
      }
      if (closed) {
        flush(); // close() may have written the queue just before this line went in
      }
    } else {
      synchronized (writeLock) { // full (or closing): write what waits, then this line, here and now
        writeWaiting();
        write(line);
        out.flush();
      }
    }
  }

  /** Lines leave the queue only under writeLock, in order, so a line written by a full queue's caller never overtakes. */
  private void writeLoop() {
    while (!closed) {
      if (queue.isEmpty()) {
        // Flag, then look again: a publish that missed the flag put its line in before this second look.
        parked = true;
        if (queue.isEmpty() && !closed) {
          LockSupport.park(this);
        }
        parked = false;
        continue;
      }
      int written = 0;
      try {
        synchronized (writeLock) {
          written = writeWaiting();
          out.flush();
        }
      } catch (RuntimeException e) {
        reportError(null, e, ErrorManager.WRITE_FAILURE);
      }
      if (written < BATCH && !closed) {
        // Linger before the next look, not flagged as parked: lines logged meanwhile wait (a publish does not wake
        // the writer) and go out in one write. Under load that is one write(2) and no wakeup per LINGER_NANOS
        // instead of a wakeup and a write for every line or two (issue #17); after a quiet spell the first line
        // still wakes the writer at once.
        LockSupport.parkNanos(this, LINGER_NANOS);
      }
    }
  }

  /** Writes every line queued now, in order; how many. Hold writeLock. */
  private int writeWaiting() {
    List<String> batch = new ArrayList<>(BATCH);
    int written = 0;
    while (queue.drainTo(batch, BATCH) > 0) {
      StringBuilder lines = new StringBuilder(batch.size() * 160);
      batch.forEach(lines::append);
      write(lines.toString());
      written += batch.size();
      batch.clear();
    }
    return written;
  }

  private void write(String text) {
    out.print(text);
  }

  @Override
  public void flush() {
    synchronized (writeLock) {
      writeWaiting();
      out.flush();
    }
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(writer);
    flush();
  }
}
