package io.hermod.routing;

import io.hermod.compact.RecentMap;
import io.hermod.spool.Envelope;
import io.hermod.spool.SpoolObserver;

/**
 * The durable envelopes the spool has just stored, for the router to take instead of reading them back from disk
 * (issue #17: a journal read and a JSON parse on a spool I/O thread per message, right after the listener wrote
 * the same envelope). It sits in the spool's observer slot in front of the queue index and hears every durable
 * change, so what it holds is always the newest durable envelope of its message: a new message, an update (a
 * deferral, an operator's hold), gone on removal.
 *
 * <p>{@link #take} hands an envelope over once; the router asks the spool when it is not here (taken already,
 * evicted, or never held). Bounded by messages and by recipients: the oldest entries go first, so a backlog of
 * deferred messages cannot keep new arrivals out. Thread-safe: the spool's committer and I/O threads tell it,
 * the router's event loop takes.
 */
public final class RecentEnvelopes implements SpoolObserver {

  /** Most envelopes held: a burst of arrivals beyond it is read from disk as before. */
  public static final int MAX_MESSAGES = 1024;
  /** Most recipients over all envelopes held, which bounds the memory (an envelope is mostly its recipients). */
  public static final int MAX_RECIPIENTS = 8192;

  private final SpoolObserver next;
  private final RecentMap<Envelope> held;

  /** @param next told of every change too, after this (the queue index) */
  public RecentEnvelopes(SpoolObserver next) {
    this(next, MAX_MESSAGES, MAX_RECIPIENTS);
  }

  RecentEnvelopes(SpoolObserver next, int maxMessages, int maxRecipients) {
    this.next = next;
    this.held = new RecentMap<>(maxMessages, maxRecipients, e -> e.recipients().size());
  }

  @Override
  public void stored(Envelope envelope) {
    hold(envelope);
    next.stored(envelope); // after: once the index makes it due, the router finds it here
  }

  private synchronized void hold(Envelope envelope) {
    held.put(envelope.id(), envelope); // too many recipients: not held (nor is an older version), read from disk
  }

  @Override
  public void removed(String id) {
    take(id);
    next.removed(id);
  }

  /** The newest durable envelope of {@code id} if held (and no longer held after), else null: ask the spool. */
  public synchronized Envelope take(String id) {
    return held.remove(id);
  }

  /** Envelopes held now (for tests). */
  synchronized int size() {
    return held.size();
  }
}
