package io.hermod.spool;

/**
 * Told of every durable change of the spool, so that an in-memory view of the queue (io.hermod.queue) can
 * follow it without ever scanning the spool: each call comes after the change is on disk and before the
 * future of the change completes. During {@link Spool#recover()} it is told of every recovered message.
 * Calls come from the spool's own threads (committer, I/O); implementations are thread-safe and fast (no I/O).
 */
public interface SpoolObserver {

  /**
   * A new journal message is durable: {@code envelope} as {@link #stored}, and {@code content} its bytes, read-only
   * views the spool never changes (read them through a duplicate). For an observer that keeps them in memory
   * ({@link RecentContent}); by default the same as {@link #stored}.
   */
  default void arrived(Envelope envelope, java.util.List<java.nio.ByteBuffer> content) {
    stored(envelope);
  }

  /** {@code envelope} is now the durable state of its message (a new message, an update, or recovered). */
  void stored(Envelope envelope);

  /** The message {@code id} is gone from the spool. */
  void removed(String id);

  SpoolObserver NONE = new SpoolObserver() {
    @Override
    public void stored(Envelope envelope) {
    }

    @Override
    public void removed(String id) {
    }
  };
}
