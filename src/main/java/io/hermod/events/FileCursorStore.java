package io.hermod.events;

import io.hermod.metrics.HermodMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Named cursors in one small file ({@code <spool.directory>/events/cursors.json}), replaced atomically on each
 * change (temp file, fsync, rename, fsync of the directory: {@link CursorFile}). Commits are group-committed:
 * while one write runs, further commits wait and the next write carries them all, so many readers acknowledging
 * often cost one fsync per round, not one each.
 *
 * <p>Rules: a commit never moves a cursor back (a lower seq succeeds without change: a late or repeated
 * acknowledgement); at most {@code maxCursors} names (events.journal.maxCursors); names are 1 to 100 characters
 * of letters, digits, {@code . _ : -}, starting with a letter or digit. Thread-safe; completes on the caller's
 * context.
 */
public final class FileCursorStore implements CursorStore {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");

  private final Vertx vertx;
  private final CursorFile file;
  private final WorkerExecutor writerThread;
  private final int maxCursors;
  private final CursorLagGauges lag;
  private final Map<String, Long> cursors; // guarded by this
  private List<Promise<Void>> waiting = new ArrayList<>(); // guarded by this: commits the next write carries
  private boolean writing; // guarded by this
  private boolean dirty; // guarded by this
  private boolean closed; // guarded by this

  private FileCursorStore(Vertx vertx, CursorFile file, WorkerExecutor writerThread, int maxCursors,
                          Map<String, Long> cursors, CursorLagGauges lag) {
    this.vertx = vertx;
    this.file = file;
    this.writerThread = writerThread;
    this.maxCursors = maxCursors;
    this.cursors = new TreeMap<>(cursors);
    this.lag = lag;
    this.cursors.keySet().forEach(name -> lag.add(name, () -> seqOf(name)));
  }

  /** Opens the store in {@code file} (created at the first commit); fails if the file is not readable. */
  public static Future<FileCursorStore> open(Vertx vertx, java.nio.file.Path file, int maxCursors) {
    return open(vertx, file, maxCursors, HermodMetrics.noop(), () -> 0);
  }

  /** As above; each cursor's lag behind {@code lastSeq} (the journal's) is a gauge in {@code metrics}. */
  public static Future<FileCursorStore> open(Vertx vertx, java.nio.file.Path file, int maxCursors,
                                             HermodMetrics metrics, LongSupplier lastSeq) {
    if (maxCursors < 1) {
      return Future.failedFuture(new IllegalArgumentException("maxCursors must be at least 1"));
    }
    CursorFile cursorFile = new CursorFile(file);
    WorkerExecutor writerThread = vertx.createSharedWorkerExecutor("hermod-cursors-" + file, 1);
    return writerThread.executeBlocking(cursorFile::load)
        .map(loaded -> new FileCursorStore(vertx, cursorFile, writerThread, maxCursors, loaded,
            new CursorLagGauges(metrics, lastSeq)))
        .onFailure(e -> writerThread.close());
  }

  /** Whether {@code name} may name a cursor (see the class comment). */
  public static boolean validName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  @Override
  public synchronized Future<Optional<Long>> position(String name) {
    if (!validName(name)) {
      return invalid(name);
    }
    return Future.succeededFuture(Optional.ofNullable(cursors.get(name)));
  }

  @Override
  public Future<Void> commit(String name, long seq) {
    if (!validName(name)) {
      return invalid(name);
    }
    if (seq < 0) {
      return Future.failedFuture(new IllegalArgumentException("cursor " + name + ": seq " + seq + " is negative"));
    }
    synchronized (this) {
      if (closed) {
        return Future.failedFuture(new IllegalStateException("cursor " + name + ": the cursor store is closed"));
      }
      Long current = cursors.get(name);
      if (current == null && cursors.size() >= maxCursors) {
        return Future.failedFuture(new IllegalStateException("cursor " + name + ": there are already " + maxCursors
            + " cursors (events.journal.maxCursors); remove one first"));
      }
      if (current != null && current >= seq) {
        return Future.succeededFuture(); // never back: a late or repeated acknowledgement
      }
      cursors.put(name, seq);
      if (current == null) {
        lag.add(name, () -> seqOf(name));
      }
      return changed();
    }
  }

  @Override
  public Future<Void> remove(String name) {
    if (!validName(name)) {
      return invalid(name);
    }
    synchronized (this) {
      if (closed) {
        return Future.failedFuture(new IllegalStateException("cursor " + name + ": the cursor store is closed"));
      }
      if (cursors.remove(name) == null) {
        return Future.succeededFuture();
      }
      lag.remove(name);
      return changed();
    }
  }

  private synchronized long seqOf(String name) {
    return cursors.getOrDefault(name, -1L);
  }

  @Override
  public synchronized Map<String, Long> snapshot() {
    return Map.copyOf(cursors);
  }

  /** Holds this: the change is durable once the write that carries it completes. */
  private Future<Void> changed() {
    Promise<Void> durable = Promise.promise();
    waiting.add(durable);
    dirty = true;
    if (!writing) {
      writing = true;
      vertx.runOnContext(v -> writeRound());
    }
    return durable.future();
  }

  /** Writes the whole map once for every commit that arrived since the last write; repeats while more came. */
  private void writeRound() {
    List<Promise<Void>> carried;
    Map<String, Long> copy;
    synchronized (this) {
      if (!dirty) {
        writing = false;
        return;
      }
      carried = waiting;
      waiting = new ArrayList<>();
      dirty = false;
      copy = new TreeMap<>(cursors);
    }
    writerThread.executeBlocking(() -> {
      file.replace(copy);
      return null;
    }).onComplete(ar -> {
      carried.forEach(p -> p.handle(ar.mapEmpty()));
      writeRound();
    });
  }

  private static <T> Future<T> invalid(String name) {
    return Future.failedFuture(new IllegalArgumentException("cursor name " + (name == null ? "null" : "'" + name
        + "'") + " is not valid: 1 to 100 of A-Z a-z 0-9 . _ : - starting with a letter or digit"));
  }

  /** Waits for the last write; commits and removals after it fail. */
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    synchronized (this) {
      closed = true;
      if (writing) {
        waiting.add(done);
        dirty = true; // one more (identical) write, after which everything before close is durable
      } else {
        done.complete();
      }
    }
    return done.future().eventually(() -> {
      writerThread.close();
      lag.removeAll();
      return Future.succeededFuture();
    });
  }
}
