package io.hermod.spool;

import io.vertx.core.Future;

import java.nio.file.Path;
import java.util.List;

/**
 * The queue: the only hand-off between roles that must survive a crash.
 *
 * <p>All futures complete on the Vert.x context of the caller (the context current when the method was
 * called), so verticles can chain on them without hopping threads. Blocking file I/O never runs on the
 * caller's thread: it runs on the spool's own I/O threads.
 *
 * <p>Durability contract: a future returned by {@link MessageWriter#commit} or {@link #update} succeeds only
 * after the bytes and the envelope are on disk (an appended journal record and fsync of the journal
 * segment, or for a big message fsync of the files, atomic publish, fsync of the directory). Concurrent commits share fsyncs (group commit).
 */
public interface Spool {

  /**
   * From now on {@code observer} hears of every durable change: each new message, update (stored) and
   * removal, after it is on disk and before its future completes, and during {@link #recover()} every
   * recovered message. Call before {@link #recover()}; one observer at a time.
   */
  void observe(SpoolObserver observer);

  /**
   * Start-up recovery: deletes incomplete messages (never committed), quarantines unreadable ones, and hands
   * the envelope of every committed, undelivered message to the observer (nothing holds them all: a deep
   * queue's envelopes would not fit in memory). Returns how many. Call once, before any other method but
   * {@link #observe}.
   */
  Future<Long> recover();

  /** How far a running {@link #recover()} has come; {@link RecoveryProgress#NONE} when none runs. Any thread. */
  RecoveryProgress recoveryProgress();

  /** A fresh, unique queue id. */
  String newId();

  /**
   * Begins a new message. Bytes written to the writer are the message as it will be delivered (the
   * Received header first); the envelope is stored with it at commit.
   */
  MessageWriter begin(Envelope envelope);

  /** Persists a changed envelope (recipient states, next attempt, hold) atomically and durably. */
  Future<Void> update(Envelope envelope);

  /** Reads the current envelope of a committed message; fails if it is not in the spool. */
  Future<Envelope> load(String id);

  /** Where the message bytes of a committed message can be read: a file and the byte range in it. */
  Future<Content> content(String id);

  /**
   * Removes a message once every recipient is final. Idempotent. Unlike a commit or an update it completes
   * once its tombstone is written, before an fsync: that rides on the next commit's, or comes at most
   * "spool.removalSyncMillis" later (a removal lost in a power failure only means one more delivery).
   */
  Future<Void> remove(String id);

  /** Ids of all committed messages currently in the spool (for periodic scans). */
  Future<List<String>> list();

  /** True while the spool holds more than its configured high-water mark (messages or bytes). */
  boolean overHighWater();

  /** Number of committed messages and their bytes, as last counted (cheap, no I/O). */
  Usage usage();

  /** Stops accepting work, waits for pending commits, and releases the I/O threads. */
  Future<Void> close();

  /** The bytes of a message: {@code length} bytes from {@code offset} in {@code file}. */
  record Content(Path file, long offset, long length) {
  }

  record Usage(long messages, long bytes) {
  }
}
