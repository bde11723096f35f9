package io.hermod.events;

import io.hermod.json.JsonBytes;
import io.hermod.metrics.HermodMetrics;
import io.hermod.async.ContextCompletions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;

/**
 * The event journal in segment files under one directory ({@code <spool.directory>/events/}, docs/events.md).
 *
 * <p>Appends are group-committed: they wait in a bounded queue ({@link JournalLimits#maxPending()}) while one
 * batch is written and fsynced on the journal's single writer thread; the next batch takes everything that
 * arrived meanwhile; a batch's first append waits {@link JournalLimits#commitDelay()} for others, so that a steady
 * trickle of events (one session's deliveries) shares one fsync per delay rather than taking one each (issue #17:
 * fsyncs per message). An append completes with its seq once its batch is durable. When the disk fails (full, I/O
 * error) the batch is cut off again and retried every second, and the queue fills; once it is full, further
 * appends are refused: each is logged (at most one line per 10 s) and counted in
 * {@code hermod_events_journal_append_failures_total{reason="queue_full"}}. Reads and {@link #seqBefore} run on
 * their own worker threads, so a reader far behind never delays a commit.
 */
public final class FileEventJournal implements EventJournal {

  private static final Logger LOG = Logger.getLogger(FileEventJournal.class.getName());
  /** Entries per write: bounds one batch's buffer (about 1,000 events of a few hundred bytes). */
  static final int MAX_BATCH = 1000;
  static final long RETRY_MILLIS = 1000;
  static final long RETENTION_CHECK_MILLIS = 60_000;
  private static final long REFUSAL_LOG_MILLIS = 10_000;

  private final Vertx vertx;
  private final Context context; // the journal's own: batches complete and listeners run here
  private final WorkerExecutor writerThread;
  private final WorkerExecutor readerThreads;
  private final SegmentWriter writer;
  private final SegmentReads reads;
  private final JournalLimits limits;
  private final Clock clock;
  private final HermodMetrics metrics;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private final ArrayDeque<Pending> pending = new ArrayDeque<>(); // guarded by lock
  private boolean writing; // guarded by lock: a batch is being written (or a retry is scheduled)
  private boolean closing; // guarded by lock
  private long refusedSinceLog; // guarded by lock
  private long lastRefusalLog; // guarded by lock
  private final Promise<Void> closed = Promise.promise();
  private volatile long lastSeq;
  private long retentionTimer = -1;
  private long delayedBatch = -1; // guarded by lock: the timer of a batch waiting out the commit delay

  private record Pending(byte[] payload, Promise<Long> promise, Context context) {
  }

  private FileEventJournal(Vertx vertx, Context context, WorkerExecutor writerThread, WorkerExecutor readerThreads,
                           SegmentWriter writer, JournalLimits limits, Clock clock, HermodMetrics metrics) {
    this.vertx = vertx;
    this.context = context;
    this.writerThread = writerThread;
    this.readerThreads = readerThreads;
    this.writer = writer;
    this.reads = new SegmentReads(writer::segments);
    this.limits = limits;
    this.clock = clock;
    this.metrics = metrics;
    this.lastSeq = writer.nextSeq() - 1;
  }

  /** Opens (creating it if needed) the journal in {@code dir}; its torn tail, if any, is cut. */
  public static Future<FileEventJournal> open(Vertx vertx, Path dir, JournalLimits limits) {
    return open(vertx, dir, limits, Clock.systemUTC(), HermodMetrics.noop());
  }

  /** As above, with the clock that stamps entries and drives age retention, and where to count. */
  public static Future<FileEventJournal> open(Vertx vertx, Path dir, JournalLimits limits, Clock clock,
                                              HermodMetrics metrics) {
    Context context = ownContext(vertx);
    WorkerExecutor writerThread = vertx.createSharedWorkerExecutor(writerPoolName(dir), 1);
    WorkerExecutor readerThreads = vertx.createSharedWorkerExecutor("hermod-journal-readers-" + dir, 2);
    Promise<FileEventJournal> opened = Promise.promise();
    context.runOnContext(v -> writerThread.executeBlocking(() -> SegmentWriter.open(dir, limits, clock.millis()))
        .map(w -> new FileEventJournal(vertx, context, writerThread, readerThreads, w, limits, clock, metrics))
        .onSuccess(FileEventJournal::started)
        .onFailure(e -> {
          writerThread.close();
          readerThreads.close();
        })
        .onComplete(opened));
    return opened.future();
  }

  /**
   * A context of the journal's own, never the caller's verticle's: undeploying that verticle would cancel the
   * journal's timers (retention, write retries). A context made on a thread outside Vert.x belongs to no verticle.
   */
  private static Context ownContext(Vertx vertx) {
    if (Vertx.currentContext() == null) {
      return vertx.getOrCreateContext();
    }
    return java.util.concurrent.CompletableFuture.supplyAsync(vertx::getOrCreateContext).join();
  }

  /** The writer's thread pool (one thread): its name, per journal directory. */
  static String writerPoolName(Path dir) {
    return "hermod-journal-writer-" + dir;
  }

  private void started() {
    metrics.eventJournal(writer::bytes, () -> lastSeq);
    retentionTimer = vertx.setPeriodic(RETENTION_CHECK_MILLIS, t -> retainNow());
    LOG.info("event journal: " + writer.segments().size() + " segment(s), seqs " + firstSeq() + " to " + lastSeq);
  }

  @Override
  public Future<Long> append(JsonObject event) {
    Context caller = vertx.getOrCreateContext();
    Promise<Long> promise = Promise.promise();
    byte[] payload = JsonBytes.encode(event); // the bytes Jackson would write, without its costs (issue #17)
    boolean startWriting;
    synchronized (lock) {
      if (payload.length > JournalRecord.MAX_PAYLOAD_BYTES) {
        // Never written: a reader (and the check at open) would take it for damage and stop there.
        return refused("too_large", "the event has " + payload.length + " bytes, more than "
            + JournalRecord.MAX_PAYLOAD_BYTES);
      }
      if (closing) {
        return refused("closed", "the journal is closed");
      }
      if (pending.size() >= limits.maxPending()) {
        return refused("queue_full", "the journal's append queue is full (" + limits.maxPending() + " waiting)");
      }
      pending.add(new Pending(payload, promise, caller));
      startWriting = !writing;
      writing = true;
    }
    if (startWriting) {
      writeAfterDelay();
    }
    return promise.future();
  }

  /** An append the journal cannot take: counted, logged at most once per 10 s, and failed. Holds lock. */
  private Future<Long> refused(String reason, String why) {
    metrics.journalAppendFailed(reason);
    refusedSinceLog++;
    long now = System.nanoTime() / 1_000_000;
    if (now - lastRefusalLog >= REFUSAL_LOG_MILLIS || lastRefusalLog == 0) {
      LOG.warning("event journal: " + refusedSinceLog + " event(s) not journaled: " + why + "; their outcomes are in "
          + "the spool and the delivery log, and were published on hermod.events");
      refusedSinceLog = 0;
      lastRefusalLog = now;
    }
    return Future.failedFuture(new IllegalStateException("event not journaled: " + why));
  }

  /**
   * Starts the next batch after the commit delay (at once without one, or when a whole batch waits). The timer
   * is set on the journal's own context: one set on the caller's (the router's) would die with its verticle, and
   * a stop would then wait forever for that batch.
   */
  private void writeAfterDelay() {
    context.runOnContext(v -> {
      long delay = limits.commitDelay().toMillis();
      synchronized (lock) {
        if (delay > 0 && pending.size() < MAX_BATCH && !closing) {
          delayedBatch = vertx.setTimer(delay, t -> delayedBatchDue());
          return;
        }
      }
      writeBatch();
    });
  }

  private void delayedBatchDue() {
    synchronized (lock) {
      delayedBatch = -1;
    }
    writeBatch();
  }

  /** On the journal's context: writes what is pending now as one batch, then the next, until none is left. */
  private void writeBatch() {
    List<Pending> batch = new ArrayList<>();
    synchronized (lock) {
      for (Pending p : pending) {
        if (batch.size() == MAX_BATCH) {
          break;
        }
        batch.add(p);
      }
    }
    if (batch.isEmpty()) {
      next();
      return;
    }
    List<byte[]> payloads = batch.stream().map(Pending::payload).toList();
    writerThread.executeBlocking(() -> writer.write(payloads, clock.millis()))
        .onSuccess(written -> committed(batch, written))
        .onFailure(e -> failed(batch, e));
  }

  private void committed(List<Pending> batch, List<SegmentWriter.Written> written) {
    synchronized (lock) {
      for (int i = 0; i < batch.size(); i++) {
        pending.poll();
      }
    }
    lastSeq = written.get(written.size() - 1).seq();
    metrics.journalAppended(batch.size());
    // One hop per caller's context (the router's, mostly), not one per entry.
    ContextCompletions completions = new ContextCompletions();
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      long seq = written.get(i).seq();
      completions.add(p.context(), () -> p.promise().complete(seq));
    }
    completions.run();
    listeners.forEach(Runnable::run);
    if (writer.bytes() > limits.maxBytes()) {
      retainNow();
    }
    next();
  }

  private void failed(List<Pending> batch, Throwable e) {
    metrics.journalWriteError();
    boolean giveUp;
    synchronized (lock) {
      giveUp = closing;
    }
    if (giveUp) {
      LOG.severe("event journal: write failed while closing (" + e + "); " + pendingCount()
          + " event(s) are not journaled (their outcomes are in the spool and the delivery log)");
      failAll(e);
      next();
      return;
    }
    LOG.warning("event journal: write of " + batch.size() + " event(s) failed (" + e + "); retrying in "
        + RETRY_MILLIS + " ms, " + pendingCount() + " event(s) wait (at most " + limits.maxPending() + ")");
    vertx.setTimer(RETRY_MILLIS, t -> context.runOnContext(v -> writeBatch()));
  }

  private int pendingCount() {
    synchronized (lock) {
      return pending.size();
    }
  }

  private void failAll(Throwable e) {
    List<Pending> lost;
    synchronized (lock) {
      lost = new ArrayList<>(pending);
      pending.clear();
    }
    lost.forEach(p -> {
      metrics.journalAppendFailed("closed");
      p.context().runOnContext(v -> p.promise().fail(e));
    });
  }

  /** After a batch: the next one, or the close that waited for the queue to empty. */
  private void next() {
    boolean more;
    boolean finish;
    synchronized (lock) {
      more = !pending.isEmpty();
      writing = more;
      finish = !more && closing;
    }
    if (more) {
      writeAfterDelay();
    } else if (finish) {
      finishClose();
    }
  }

  private void retainNow() {
    retain().onFailure(e -> LOG.warning("event journal: retention failed (" + e + "); retried in "
            + RETENTION_CHECK_MILLIS / 1000 + " s"));
  }

  /** Applies retention now (it also runs every minute and when a commit finds the journal over maxBytes). */
  public Future<Long> retain() {
    Promise<Long> done = Promise.promise();
    context.runOnContext(v -> writerThread.executeBlocking(() -> writer.retain(clock.millis()))
        .onSuccess(dropped -> metrics.journalRetired(dropped))
        .onComplete(done));
    return done.future();
  }

  @Override
  public Future<List<JournalEntry>> read(long after, int maxEntries, int maxBytes) {
    if (maxEntries < 1 || maxBytes < 1) {
      return Future.failedFuture(new IllegalArgumentException("maxEntries and maxBytes must be at least 1"));
    }
    return readerThreads.executeBlocking(() -> reads.read(after, maxEntries, maxBytes), false);
  }

  @Override
  public Future<Long> seqBefore(Instant time) {
    return readerThreads.executeBlocking(() -> reads.seqBefore(time.toEpochMilli()), false);
  }

  @Override
  public long lastSeq() {
    return lastSeq;
  }

  @Override
  public long firstSeq() {
    return writer.segments().get(0).firstSeq;
  }

  /** Bytes read from segment files by reads so far (tests check that reads stay near their target). */
  long bytesScanned() {
    return reads.bytesScanned();
  }

  /** The journal's size on disk, in bytes (what retention bounds by maxBytes). */
  public long bytes() {
    return writer.bytes();
  }

  @Override
  public void onAppend(Runnable listener) {
    listeners.add(listener);
  }

  /**
   * Stops taking appends, writes everything already appended, then closes the files: after a graceful stop no
   * appended event is missing.
   */
  @Override
  public Future<Void> close() {
    boolean finishNow;
    synchronized (lock) {
      if (closing) {
        return closed.future();
      }
      closing = true;
      finishNow = !writing;
    }
    vertx.cancelTimer(retentionTimer);
    if (finishNow) {
      context.runOnContext(v -> finishClose());
    } else {
      writeDelayedBatchNow();
    }
    return closed.future();
  }

  /** At close, a batch waiting out its commit delay is written at once. */
  private void writeDelayedBatchNow() {
    boolean due;
    synchronized (lock) {
      due = delayedBatch >= 0 && vertx.cancelTimer(delayedBatch);
      delayedBatch = -1;
    }
    if (due) {
      context.runOnContext(v -> writeBatch());
    }
  }

  private void finishClose() {
    writerThread.executeBlocking(() -> {
      writer.close();
      return null;
    }).onComplete(ar -> {
      writerThread.close();
      readerThreads.close();
      closed.handle(ar.mapEmpty());
    });
  }
}
