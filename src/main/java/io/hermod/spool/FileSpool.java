package io.hermod.spool;

import io.hermod.config.SpoolConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The durable on-disk {@link Spool}: one directory tree. Small messages are records in a shared journal,
 * appended in groups that share one fsync; big ones are files renamed into {@code queue/} once fsynced,
 * in groups that share one directory fsync. Layout, formats and the durability sequence are in
 * docs/spool.md.
 */
public final class FileSpool implements Spool {

  private static final Logger LOG = Logger.getLogger("io.hermod.spool");
  private static final long FREE_SPACE_CHECK_NANOS = 1_000_000_000L;

  private final Vertx vertx;
  private final SpoolConfig config;
  private final SpoolFiles files;
  private final SpoolDirs dirs;
  private final QueueIds ids;
  private final SpoolIo io;
  private final Journal journal;
  private final GroupCommitter committer;
  private final JournalCompactor compactor;
  private final AtomicLong messages = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong updateSeq = new AtomicLong();
  private final AtomicBoolean checkingSpace = new AtomicBoolean();
  private volatile long lastSpaceCheck = System.nanoTime() - FREE_SPACE_CHECK_NANOS;
  private volatile boolean lowOnSpace;
  private volatile boolean closed;
  private volatile SpoolObserver observer = SpoolObserver.NONE;
  private volatile RecoveryProgress progress = RecoveryProgress.NONE;

  public FileSpool(Vertx vertx, SpoolConfig config) {
    this(vertx, config, new RealSpoolFiles(), new QueueIds());
  }

  FileSpool(Vertx vertx, SpoolConfig config, SpoolFiles files, QueueIds ids) {
    this(vertx, config, files, ids, Journal.DEFAULT_SEGMENT_BYTES);
  }

  /** @param segmentBytes a journal segment is closed and a new one started past this size */
  FileSpool(Vertx vertx, SpoolConfig config, SpoolFiles files, QueueIds ids, long segmentBytes) {
    this(vertx, config, files, ids, segmentBytes, Journal.COMPACTED_GRACE_NANOS);
  }

  /** @param compactedGraceNanos how long a compacted segment stays after its last live message moved out */
  FileSpool(Vertx vertx, SpoolConfig config, SpoolFiles files, QueueIds ids, long segmentBytes,
            long compactedGraceNanos) {
    this.vertx = vertx;
    this.config = config;
    this.files = files;
    this.dirs = SpoolDirs.under(Path.of(config.directory()));
    this.ids = ids;
    this.io = new SpoolIo(Math.max(1, config.ioThreads()));
    this.journal = new Journal(files, dirs, new JournalIndex(), segmentBytes, compactedGraceNanos);
    this.compactor = new JournalCompactor(journal, config.compactBelowLivePercent());
    this.committer = new GroupCommitter(files, dirs, journal, config.maxBatch(), compactor,
        config.removalSyncMillis());
  }

  @Override
  public void observe(SpoolObserver observer) {
    this.observer = observer;
    committer.observe(observer);
  }

  @Override
  public Future<Long> recover() {
    return onIo("recovering the spool", () -> {
      try {
        SpoolRecovery.Result result = new SpoolRecovery(files, dirs, journal, observer, p -> progress = p).run();
        messages.set(result.messages());
        bytes.set(result.bytes());
        checkFreeSpace();
        compactor.start();
        return result.messages();
      } finally {
        progress = RecoveryProgress.NONE;
      }
    });
  }

  @Override
  public RecoveryProgress recoveryProgress() {
    return progress;
  }

  @Override
  public String newId() {
    return ids.next();
  }

  @Override
  public MessageWriter begin(Envelope envelope) {
    if (!QueueIds.isValid(envelope.id())) {
      throw new IllegalArgumentException("not a queue id: " + envelope.id());
    }
    return new SpoolWriter(files, io, committer, dirs, () -> closed, this::counted,
        vertx.getOrCreateContext(), envelope.id());
  }

  /**
   * For a journal message: appends an update record in the next group commit. For a big message: writes the
   * envelope to a temporary file, fsyncs it, and renames it over {@code queue/<id>.env} in the next group
   * commit. The stored size is always the message's (an update cannot change it). Updates of one message
   * must not overlap: with two in flight, the later one wins.
   */
  @Override
  public Future<Void> update(Envelope envelope) {
    Context context = vertx.getOrCreateContext();
    String id = envelope.id();
    Future<Void> valid = checked(id);
    if (valid.failed()) {
      return valid;
    }
    JournalIndex.Entry entry = journal.index().get(id);
    if (entry != null) {
      return append(context, JournalRecord.update(envelope.withSize(entry.data().length())))
          .transform(ar -> ar.succeeded() ? Future.<Void>succeededFuture()
              : Future.failedFuture(SpoolErrors.map("updating " + id, ar.cause())));
    }
    Path temporary = dirs.incomingEnvelope(id, "u" + updateSeq.incrementAndGet());
    return onIo(context, "updating " + id, () -> {
      Envelope sized = envelope.withSize(files.size(dirs.queuedMessage(id)));
      EnvelopeFile.write(files, temporary, sized);
      return sized;
    }).compose(sized -> {
      Promise<Void> published = Promise.promise();
      committer.submit(new GroupCommitter.FilePublication(id, null, temporary, sized, context, published));
      return published.future();
    }).recover(e -> onIo(context, "cleaning up " + id, () -> {
      deleteQuietly(temporary); // gone before the caller hears of the failure, as for a failed commit
      return null;
    }).transform(x -> Future.failedFuture(SpoolErrors.map("updating " + id, e))));
  }

  @Override
  public Future<Envelope> load(String id) {
    return checked(id).compose(v -> onIo("loading " + id, () -> {
      JournalIndex.Entry entry = journal.index().get(id);
      if (entry != null) {
        return EnvelopeFile.parse(journal.read(entry.envelope()));
      }
      return EnvelopeFile.read(files, dirs.queuedEnvelope(id), id);
    }));
  }

  /** A journal message is a byte range of its segment; a big message is all of {@code queue/<id>.msg}. */
  @Override
  public Future<Content> content(String id) {
    Future<Void> valid = checked(id);
    if (valid.failed()) {
      return valid.mapEmpty();
    }
    // A journal message's range is in the in-memory index (thread-safe): no I/O thread needed (issue #17).
    JournalIndex.Entry entry = journal.index().get(id);
    if (entry != null) {
      JournalIndex.Range data = entry.data();
      return Future.succeededFuture(new Content(dirs.segment(data.segment()), data.offset(), data.length()));
    }
    return onIo("reading " + id, () -> {
      Path file = dirs.queuedMessage(id);
      return new Content(file, 0, files.size(file));
    });
  }

  /**
   * A journal message: a tombstone record in the next group commit (its segment is deleted once nothing in
   * it is live). A big message: deletes the message file, then the envelope, with no directory fsync: a
   * removal lost in a crash brings the message back with its last durable envelope, which (updated before
   * removal) shows it done.
   */
  @Override
  public Future<Void> remove(String id) {
    Future<Void> valid = checked(id);
    if (valid.failed()) {
      return valid;
    }
    JournalIndex.Entry entry = journal.index().get(id);
    if (entry != null) {
      return append(vertx.getOrCreateContext(), JournalRecord.remove(id)).transform(ar -> {
        if (ar.failed()) {
          return Future.failedFuture(SpoolErrors.map("removing " + id, ar.cause()));
        }
        if (ar.result()) {
          uncounted(entry.data().length());
        }
        return Future.succeededFuture();
      });
    }
    return onIo("removing " + id, () -> {
      Path message = dirs.queuedMessage(id);
      long size = files.exists(message) ? files.size(message) : 0;
      boolean existed = files.delete(message);
      if (existed) {
        uncounted(size);
      }
      if (files.delete(dirs.queuedEnvelope(id)) || existed) {
        Observing.removed(observer, id);
      }
      return null;
    });
  }

  /** Ids of journal messages and of big messages that have both files, oldest first. */
  @Override
  public Future<List<String>> list() {
    return onIo("listing the spool", () -> {
      List<String> result = journal.index().ids();
      for (Path file : files.list(dirs.queue())) {
        String name = file.getFileName().toString();
        if (name.endsWith(SpoolDirs.MESSAGE)) {
          String id = name.substring(0, name.length() - SpoolDirs.MESSAGE.length());
          if (QueueIds.isValid(id) && files.exists(dirs.queuedEnvelope(id))) {
            result.add(id);
          }
        }
      }
      Collections.sort(result);
      return result;
    });
  }

  /** Over a limit ("spool.highWaterMessages", "spool.highWaterBytes": 0 disables), or low on disk. */
  @Override
  public boolean overHighWater() {
    refreshFreeSpaceIfStale();
    return (config.highWaterMessages() > 0 && messages.get() > config.highWaterMessages())
        || (config.highWaterBytes() > 0 && bytes.get() > config.highWaterBytes())
        || lowOnSpace;
  }

  @Override
  public Usage usage() {
    return new Usage(messages.get(), bytes.get());
  }

  /** Messages compaction has copied forward so far (for tests and measurements). */
  long compactedMessages() {
    return compactor.copied();
  }

  /** How group commit has behaved so far (not part of {@link Spool}: for metrics and benchmarks). */
  public CommitStats commitStats() {
    return committer.stats();
  }

  @Override
  public Future<Void> close() {
    Context context = vertx.getOrCreateContext();
    closed = true;
    Promise<Void> done = Promise.promise();
    committer.close().onComplete(ar -> {
      io.shutdown();
      LOG.info("spool: closed; group commit so far: " + committer.stats());
      context.runOnContext(v -> done.complete());
    });
    return done.future();
  }

  private void counted(long size) {
    messages.incrementAndGet();
    bytes.addAndGet(size);
  }

  private void uncounted(long size) {
    messages.decrementAndGet();
    bytes.addAndGet(-size);
  }

  /** Appends {@code record} in the next group commit; true if it changed the journal's index. */
  private Future<Boolean> append(Context context, JournalRecord record) {
    Promise<Boolean> appended = Promise.promise();
    committer.submit(new GroupCommitter.JournalAppend(record, context, appended));
    return appended.future();
  }

  private Future<Void> checked(String id) {
    if (closed) {
      return Future.failedFuture(SpoolErrors.closed());
    }
    if (!QueueIds.isValid(id)) {
      return Future.failedFuture(new IllegalArgumentException("not a queue id: " + id));
    }
    return Future.succeededFuture();
  }

  private <T> Future<T> onIo(String what, Callable<T> task) {
    return onIo(vertx.getOrCreateContext(), what, task);
  }

  private <T> Future<T> onIo(Context context, String what, Callable<T> task) {
    return io.run(context, task).recover(e -> Future.failedFuture(
        e instanceof IllegalArgumentException ? e : SpoolErrors.map(what, e)));
  }

  /** statfs at most once a second, off the caller's thread; callers see the last result. */
  private void refreshFreeSpaceIfStale() {
    long now = System.nanoTime();
    if (config.minFreeBytes() > 0 && now - lastSpaceCheck >= FREE_SPACE_CHECK_NANOS
        && checkingSpace.compareAndSet(false, true)) {
      lastSpaceCheck = now;
      if (!io.execute(() -> {
        checkFreeSpace();
        checkingSpace.set(false);
      })) {
        checkingSpace.set(false);
      }
    }
  }

  private void checkFreeSpace() {
    if (config.minFreeBytes() <= 0) {
      return;
    }
    try {
      lowOnSpace = files.usableSpace(dirs.root()) < config.minFreeBytes();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "spool: cannot read free space of " + dirs.root(), e);
    }
  }

  private void deleteQuietly(Path file) {
    try {
      files.delete(file);
    } catch (Exception e) {
      LOG.log(Level.FINE, "spool: could not delete " + file, e);
    }
  }
}
