package io.hermod.spool;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Publishes files that are already written and fsynced into {@code queue/}: one thread takes every
 * publication waiting (up to "spool.maxBatch"), renames each into place, then makes the whole batch
 * durable with ONE fsync of the queue directory. Publications that arrive during that fsync form the
 * next batch, so concurrent sessions share fsyncs without any timer.
 */
final class GroupCommitter {

  private static final Logger LOG = Logger.getLogger("io.hermod.spool");

  /**
   * One thing to publish.
   *
   * @param message  a written, fsynced message file to rename to {@code queue/<id>.msg}, or null for an
   *                 envelope update
   * @param envelope a written, fsynced envelope file to rename to {@code queue/<id>.env} (renamed last:
   *                 its presence is what makes a message committed)
   */
  record Publication(String id, Path message, Path envelope, Context context, Promise<Void> promise) {
  }

  private static final Publication STOP = new Publication(null, null, null, null, null);

  private final SpoolFiles files;
  private final SpoolDirs dirs;
  private final int maxBatch;
  private final LinkedBlockingQueue<Publication> pending = new LinkedBlockingQueue<>();
  private final Thread thread;
  private final Promise<Void> stopped = Promise.promise();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private volatile int largestBatch;
  private boolean closed;

  GroupCommitter(SpoolFiles files, SpoolDirs dirs, int maxBatch) {
    this.files = files;
    this.dirs = dirs;
    this.maxBatch = Math.max(1, maxBatch);
    this.thread = new Thread(this::run, "hermod-spool-commit");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Queues a publication; its promise completes on its context once durable. */
  synchronized void submit(Publication publication) {
    if (closed) {
      publication.context().runOnContext(v -> publication.promise().fail(SpoolErrors.closed()));
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

  CommitStats stats() {
    return new CommitStats(commits.get(), batches.get(), largestBatch);
  }

  private void run() {
    List<Publication> batch = new ArrayList<>(maxBatch);
    try {
      while (true) {
        batch.clear();
        batch.add(pending.take());
        pending.drainTo(batch, maxBatch - 1);
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
    stopped.tryComplete();
  }

  private void commit(List<Publication> batch) {
    List<Publication> renamed = new ArrayList<>(batch.size());
    for (Publication p : batch) {
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
      return;
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
      return;
    }
    commits.addAndGet(renamed.size());
    batches.incrementAndGet();
    largestBatch = Math.max(largestBatch, renamed.size());
    renamed.forEach(p -> p.context().runOnContext(v -> p.promise().complete()));
  }

  /** Best-effort removal of a failed publication's files (temporary and, for new messages, published). */
  private void discard(Publication p) {
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
    p.context().runOnContext(v -> p.promise().fail(error));
  }
}
