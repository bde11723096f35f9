package io.hermod.spool;

import io.hermod.async.ContextCompletions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Makes commits durable in groups. One thread takes every publication waiting (up to "spool.maxBatch"):
 * small messages, their envelope updates and removals are appended to the {@link Journal} with one write
 * and ONE fsync of its segment; big messages, already written and fsynced in incoming/, are renamed into
 * {@code queue/} and share ONE fsync of that directory. Publications that arrive meanwhile form the next
 * batch, so concurrent sessions share fsyncs without any timer.
 *
 * <p>A batch of nothing but removals is written (and done: its futures complete) without an fsync: its
 * tombstones ride on the next commit's fsync, or get one of their own after "spool.removalSyncMillis". At one
 * session that takes a message from two fsyncs (acceptance, removal) to one; a process crash keeps the
 * tombstones (they are in the file), and a power failure in between only brings a delivered message back, to be
 * delivered again (README.md "Where duplicates come from").
 */
final class GroupCommitter {

  private static final Logger LOG = Logger.getLogger("io.hermod.spool");

  /** One thing to make durable; its promise completes on its context. */
  sealed interface Publication permits FilePublication, JournalAppend, Stop {
  }

  /**
   * Files to rename into queue/.
   *
   * @param message  a written, fsynced message file to rename to {@code queue/<id>.msg}, or null for an
   *                 envelope update
   * @param envelope a written, fsynced envelope file to rename to {@code queue/<id>.env} (renamed last:
   *                 its presence is what makes a message committed)
   * @param stored   the envelope that file holds (told to the observer once durable)
   */
  record FilePublication(String id, Path message, Path envelope, Envelope stored, Context context,
                         Promise<Void> promise)
      implements Publication {
  }

  /** A journal record to append; the promise tells whether it changed the index (see {@link Journal#append}). */
  record JournalAppend(JournalRecord record, Context context, Promise<Boolean> promise) implements Publication {
  }

  private record Stop() implements Publication {
  }

  private static final Publication STOP = new Stop();

  private final SpoolFiles files;
  private final SpoolDirs dirs;
  private final Journal journal;
  private final int maxBatch;
  private final long removalSyncNanos;
  /** Set while removals were written without an fsync: when the committer fsyncs them at the latest. */
  private long unsyncedDeadline = NONE;
  private static final long NONE = Long.MAX_VALUE;
  private final LinkedBlockingQueue<Publication> pending = new LinkedBlockingQueue<>();
  private final Thread thread;
  private final Promise<Void> stopped = Promise.promise();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private volatile int largestBatch;
  private volatile SpoolObserver observer = SpoolObserver.NONE;
  private boolean closed;
  private int lastBatch;
  /** Longest wait for stragglers: far below one fsync of a disk (several ms), so it only merges batches. */
  static final long GATHER_NANOS = 1_000_000L;

  /** How long an idle committer waits for a commit before it compacts a little on its own. */
  static final long IDLE_COMPACTION_MILLIS = 10;

  private final JournalCompactor compactor;

  GroupCommitter(SpoolFiles files, SpoolDirs dirs, Journal journal, int maxBatch, JournalCompactor compactor) {
    this(files, dirs, journal, maxBatch, compactor, 0);
  }

  /** @param removalSyncMillis longest a removal waits for another commit's fsync; 0 = none (fsynced at once) */
  GroupCommitter(SpoolFiles files, SpoolDirs dirs, Journal journal, int maxBatch, JournalCompactor compactor,
                 int removalSyncMillis) {
    this.removalSyncNanos = TimeUnit.MILLISECONDS.toNanos(removalSyncMillis);
    this.files = files;
    this.dirs = dirs;
    this.journal = journal;
    this.compactor = compactor;
    this.maxBatch = Math.max(1, maxBatch);
    this.thread = new Thread(this::run, "hermod-spool-commit");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Queues a publication; its promise completes on its context once durable. */
  synchronized void submit(Publication publication) {
    if (closed) {
      fail(publication, SpoolErrors.closed());
      return;
    }
    pending.add(publication);
  }

  /** Publishes everything already submitted, then stops the thread. */
  synchronized Future<Void> close() {
    if (!closed) {
      closed = true;
      pending.add(STOP);
    }
    return stopped.future();
  }

  /** From now on {@code observer} hears of every durable change, before its promise completes. */
  void observe(SpoolObserver observer) {
    this.observer = observer;
  }

  CommitStats stats() {
    return new CommitStats(commits.get(), batches.get(), largestBatch);
  }

  private void run() {
    List<Publication> batch = new ArrayList<>(maxBatch);
    try {
      while (true) {
        batch.clear();
        Publication first = next();
        if (first == null) {
          if (removalsDue()) {
            syncRemovals();
          }
          appendToJournal(List.of()); // idle: a batch of compaction copies alone
          continue;
        }
        batch.add(first);
        pending.drainTo(batch, maxBatch - 1);
        if (onlyRemovals(batch)) {
          writeUnsynced(batch);
          if (removalsDue()) {
            syncRemovals(); // also under a steady stream of nothing but removals (a drain with no new mail)
          }
          continue;
        }
        // A batch with a commit: its fsync covers the removals written before it.
        gatherStragglers(batch);
        boolean stop = batch.remove(STOP);
        if (!batch.isEmpty()) {
          commit(batch);
        }
        if (stop) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // A bug here would strand every session waiting for 250: make it loud.
      LOG.log(Level.SEVERE, "spool committer stopped", e);
    }
    List<Publication> stranded = new ArrayList<>();
    pending.drainTo(stranded);
    stranded.stream().filter(p -> p != STOP).forEach(p -> fail(p, SpoolErrors.closed()));
    syncRemovals(); // a graceful stop leaves no removal to chance
    journal.close();
    stopped.tryComplete();
  }

  /**
   * The next publication, or null when the committer should append without one: compaction has work and
   * nothing came for {@link #IDLE_COMPACTION_MILLIS}, or unsynced removals waited their longest.
   */
  private Publication next() throws InterruptedException {
    long waitNanos = compactor.hasWork() ? TimeUnit.MILLISECONDS.toNanos(IDLE_COMPACTION_MILLIS) : Long.MAX_VALUE;
    if (unsyncedDeadline != NONE) {
      waitNanos = Math.min(waitNanos, unsyncedDeadline - System.nanoTime());
    }
    if (waitNanos == Long.MAX_VALUE) {
      return pending.take();
    }
    return waitNanos > 0 ? pending.poll(waitNanos, TimeUnit.NANOSECONDS) : pending.poll();
  }

  private boolean onlyRemovals(List<Publication> batch) {
    if (removalSyncNanos == 0) {
      return false;
    }
    for (Publication p : batch) {
      if (!(p instanceof JournalAppend append) || append.record().type() != JournalRecord.Type.REMOVE) {
        return false;
      }
    }
    return true;
  }

  /** Writes a batch of removals without an fsync; the next journal append (or the deadline) makes them durable. */
  private void writeUnsynced(List<Publication> batch) {
    List<JournalAppend> removals = new ArrayList<>(batch.size());
    batch.forEach(p -> removals.add((JournalAppend) p));
    List<Boolean> applied;
    try {
      applied = journal.writeUnsynced(removals.stream().map(JournalAppend::record).toList());
    } catch (IOException | RuntimeException e) {
      SpoolException error = SpoolErrors.map("appending to the journal", e);
      removals.forEach(p -> fail(p, error));
      return;
    }
    if (unsyncedDeadline == NONE) {
      unsyncedDeadline = System.nanoTime() + removalSyncNanos;
    }
    completed(removals, applied, 0);
    commits.addAndGet(removals.size());
  }

  private boolean removalsDue() {
    return unsyncedDeadline != NONE && System.nanoTime() - unsyncedDeadline >= 0;
  }

  /** The fsync that removals written without one waited for, when no other commit came in time. */
  private void syncRemovals() {
    if (unsyncedDeadline == NONE) {
      return;
    }
    unsyncedDeadline = NONE;
    try {
      journal.sync();
      batches.incrementAndGet();
      journal.collectGarbage(); // what the tombstones freed may go now that they are durable
    } catch (IOException | RuntimeException e) {
      // Their removal stands in this process; a power failure now could bring those messages back (duplicates).
      LOG.log(Level.WARNING, "spool: could not fsync the journal after removals", e);
    }
  }

  /**
   * Sessions that shared one fsync get their 250 together and tend to commit their next messages close
   * together too; the first of them must not take an fsync alone while the rest queue behind it. So while
   * the batch is under half the previous one, wait a little (at most {@link #GATHER_NANOS}) for the others.
   * The wait adapts: once load drops, the previous batch is small and nothing waits.
   */
  private void gatherStragglers(List<Publication> batch) throws InterruptedException {
    long deadline = System.nanoTime() + GATHER_NANOS;
    while (batch.size() < maxBatch && batch.size() * 2 < lastBatch && !batch.contains(STOP)) {
      long left = deadline - System.nanoTime();
      Publication next = left > 0 ? pending.poll(left, TimeUnit.NANOSECONDS) : null;
      if (next == null) {
        break;
      }
      batch.add(next);
      pending.drainTo(batch, maxBatch - batch.size());
    }
    lastBatch = batch.size();
  }

  private void commit(List<Publication> batch) {
    List<FilePublication> toRename = new ArrayList<>();
    List<JournalAppend> toAppend = new ArrayList<>();
    for (Publication p : batch) {
      if (p instanceof FilePublication file) {
        toRename.add(file);
      } else if (p instanceof JournalAppend append) {
        toAppend.add(append);
      }
    }
    int durable = publishFiles(toRename) + appendToJournal(toAppend);
    if (durable > 0) {
      commits.addAndGet(durable);
      batches.incrementAndGet();
      largestBatch = Math.max(largestBatch, durable);
    }
  }

  /**
   * Appends the batch's records after this round's compaction copies (first, so that an update or removal
   * in the batch supersedes them), with one write and one fsync.
   *
   * @return how many of {@code appends} became durable
   */
  private int appendToJournal(List<JournalAppend> appends) {
    List<JournalRecord> records = new ArrayList<>(compactionCopies());
    int copies = records.size();
    appends.forEach(p -> records.add(p.record()));
    if (records.isEmpty()) {
      return 0;
    }
    List<Boolean> applied;
    try {
      applied = journal.append(records);
      unsyncedDeadline = NONE; // that fsync covered the removals written before
    } catch (IOException | RuntimeException e) {
      SpoolException error = SpoolErrors.map("appending to the journal", e);
      appends.forEach(p -> fail(p, error));
      return 0;
    }
    completed(appends, applied, copies);
    try {
      journal.collectGarbage();
    } catch (IOException | RuntimeException e) {
      // Nothing is lost: the segment stays until a later attempt (or the next start) deletes it.
      LOG.log(Level.WARNING, "spool: could not delete an unneeded journal segment", e);
    }
    return appends.size();
  }

  /**
   * Tells the observer of each append that changed the journal, then completes every append's promise on its
   * context, one task per context. {@code applied.get(skip + i)} says whether {@code appends.get(i)} changed it.
   */
  private void completed(List<JournalAppend> appends, List<Boolean> applied, int skip) {
    ContextCompletions completions = new ContextCompletions();
    for (int i = 0; i < appends.size(); i++) {
      JournalAppend p = appends.get(i);
      boolean changed = applied.get(skip + i);
      if (changed) {
        tell(p.record());
      }
      completions.add(p.context(), () -> p.promise().complete(changed));
    }
    completions.run();
  }

  /** Copies are an optimisation: a failure to read them is logged and the batch goes on without them. */
  private List<JournalRecord> compactionCopies() {
    try {
      return compactor.copies();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "spool: journal compaction could not read a segment; it will try again", e);
      return List.of();
    }
  }

  /** @return how many became durable */
  private int publishFiles(List<FilePublication> batch) {
    List<FilePublication> renamed = new ArrayList<>(batch.size());
    for (FilePublication p : batch) {
      try {
        if (p.message() != null) {
          files.move(p.message(), dirs.queuedMessage(p.id()));
        }
        files.move(p.envelope(), dirs.queuedEnvelope(p.id()));
        renamed.add(p);
      } catch (IOException | RuntimeException e) {
        discard(p);
        fail(p, SpoolErrors.map("publishing " + p.id(), e));
      }
    }
    if (renamed.isEmpty()) {
      return 0;
    }
    try {
      files.forceDirectory(dirs.queue());
    } catch (IOException | RuntimeException e) {
      // Not durable, so not acknowledged: take new messages back out, or a client that retries after
      // the 451 would have its message delivered twice. (An update cannot be rolled back; it reports.)
      SpoolException error = SpoolErrors.map("fsync of " + dirs.queue(), e);
      renamed.forEach(p -> {
        discard(p);
        fail(p, error);
      });
      return 0;
    }
    ContextCompletions completions = new ContextCompletions();
    renamed.forEach(p -> {
      Observing.stored(observer, p.stored());
      completions.add(p.context(), () -> p.promise().complete());
    });
    completions.run();
    return renamed.size();
  }

  private void tell(JournalRecord record) {
    if (record.type() == JournalRecord.Type.REMOVE) {
      Observing.removed(observer, record.id());
    } else if (record.type() == JournalRecord.Type.MESSAGE && record.envelope() != null) {
      Observing.arrived(observer, record.envelope(), record.data());
    } else if (record.envelope() != null) {
      Observing.stored(observer, record.envelope());
    }
  }

  /** Best-effort removal of a failed publication's files (temporary and, for new messages, published). */
  private void discard(FilePublication p) {
    List<Path> paths = new ArrayList<>(List.of(p.envelope()));
    if (p.message() != null) {
      paths.addAll(List.of(p.message(), dirs.queuedMessage(p.id()), dirs.queuedEnvelope(p.id())));
    }
    for (Path path : paths) {
      try {
        files.delete(path);
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.FINE, "could not delete " + path, e);
      }
    }
  }

  private static void fail(Publication p, Throwable error) {
    if (p instanceof FilePublication file) {
      file.context().runOnContext(v -> file.promise().fail(error));
    } else if (p instanceof JournalAppend append) {
      append.context().runOnContext(v -> append.promise().fail(error));
    }
  }
}
