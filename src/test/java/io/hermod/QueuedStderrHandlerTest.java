package io.hermod;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueuedStderrHandlerTest {

  private static QueuedStderrHandler handler(OutputStream sink) {
    QueuedStderrHandler h = new QueuedStderrHandler(new PrintStream(sink, false, StandardCharsets.UTF_8));
    h.setFormatter(new Formatter() {
      @Override
      public String format(LogRecord record) {
        return record.getMessage() + "\n";
      }
    });
    return h;
  }

  private static List<String> lines(ByteArrayOutputStream out) {
    String text = out.toString(StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }

  @Test
  void everyLineOfEveryThreadArrivesInItsOrder() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    QueuedStderrHandler h = handler(out);
    try {
      publishFromFourThreads(h);
    } finally {
      h.close();
    }
    List<String> lines = lines(out);
    assertEquals(80_000, lines.size());
    int[] next = new int[4];
    for (String line : lines) {
      String[] parts = line.split(" ");
      int id = Integer.parseInt(parts[0]);
      assertEquals(next[id]++, Integer.parseInt(parts[1]), "thread " + id + " out of order");
    }
  }

  /** The writer, parked on an empty queue, wakes for each line: none waits for a flush (no lost wake-up). */
  @Test
  void anIdleWriterWakesForEachLine() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    QueuedStderrHandler h = handler(out);
    try {
      for (int i = 0; i < 200; i++) {
        h.publish(new LogRecord(Level.INFO, "line " + i));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (lines(out).size() <= i && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        assertEquals("line " + i, lines(out).get(i), "written without a flush");
        if (i % 20 == 0) {
          Thread.sleep(2); // let the writer park again
        }
      }
    } finally {
      h.close();
    }
  }

  private static void publishFromFourThreads(QueuedStderrHandler h) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int id = t;
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 20_000; i++) {
          h.publish(new LogRecord(Level.INFO, id + " " + i));
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  /** A stalled stderr fills the queue; then the logging thread waits (backpressure) and nothing is lost. */
  @Test
  void aFullQueueMakesTheCallerWaitAndKeepsTheOrder() throws Exception {
    CountDownLatch released = new CountDownLatch(1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OutputStream stalled = new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        try {
          released.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        synchronized (out) {
          out.write(b, off, len);
        }
      }
    };
    QueuedStderrHandler h = handler(stalled);
    int total = QueuedStderrHandler.CAPACITY + QueuedStderrHandler.BATCH + 100; // more than the queue and one batch hold
    CountDownLatch done = new CountDownLatch(1);
    Thread logger = new Thread(() -> {
      for (int i = 0; i < total; i++) {
        h.publish(new LogRecord(Level.INFO, "line " + i));
      }
      done.countDown();
    });
    logger.start();
    try {
      assertFalse(done.await(500, TimeUnit.MILLISECONDS), "the logging thread must wait while stderr is stalled");
    } finally {
      released.countDown();
    }
    try {
      assertTrue(done.await(30, TimeUnit.SECONDS));
    } finally {
      h.close();
    }
    List<String> lines;
    synchronized (out) {
      lines = lines(out);
    }
    assertEquals(total, lines.size());
    for (int i = 0; i < total; i++) {
      assertEquals("line " + i, lines.get(i));
    }
  }
}
