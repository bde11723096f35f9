package io.hermod.spool;

import io.hermod.compact.RecentMap;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The bytes of the journal messages the spool has just made durable, for delivery to send from memory instead of
 * reading them back (issue #17: a trip to a worker thread to open, read and close the journal segment, per
 * message, right after the listener wrote the same bytes). It sits in the spool's observer slot in front of the
 * next observer, so a message's bytes are here before the router hears of it, and gone once it is removed.
 *
 * <p>A message's bytes never change, so what is here is always right; what is not here (too big, evicted, or a
 * message recovered at start) is read from the spool as before. Bounded: a message of at most
 * {@value #MAX_MESSAGE_BYTES} bytes is held, {@value #MAX_BYTES} bytes in all, the oldest going first, so a backlog
 * of deferred mail gives way to new arrivals. Thread-safe: the spool's committer and I/O threads tell it, the
 * delivery verticles' event loops read it.
 */
public final class RecentContent implements SpoolObserver {

  /** Larger messages are streamed from the spool in chunks anyway (one chunk is 64 KiB). */
  public static final int MAX_MESSAGE_BYTES = 64 * 1024;
  /** Most bytes held over all messages. */
  public static final long MAX_BYTES = 16L * 1024 * 1024;

  private final SpoolObserver next;
  private final long maxBytes;
  private final RecentMap<byte[]> held;

  /** @param next told of every change too, after this (the router's envelopes, the queue index) */
  public RecentContent(SpoolObserver next) {
    this(next, MAX_BYTES);
  }

  RecentContent(SpoolObserver next, long maxBytes) {
    this.next = next;
    this.maxBytes = maxBytes;
    this.held = new RecentMap<>(Integer.MAX_VALUE, maxBytes, b -> b.length);
  }

  @Override
  public void arrived(Envelope envelope, List<ByteBuffer> content) {
    hold(envelope.id(), content);
    next.arrived(envelope, content);
  }

  @Override
  public void stored(Envelope envelope) {
    next.stored(envelope); // an update: the bytes stay as they were
  }

  @Override
  public void removed(String id) {
    synchronized (this) {
      held.remove(id);
    }
    next.removed(id);
  }

  /** The bytes of {@code id} if held and {@code length} long (a copy held in memory: do not change it), else null. */
  public synchronized byte[] bytes(String id, long length) {
    byte[] b = held.get(id);
    return b != null && b.length == length ? b : null;
  }

  private void hold(String id, List<ByteBuffer> content) {
    int length = 0;
    for (ByteBuffer part : content) {
      length += part.remaining();
    }
    if (length > MAX_MESSAGE_BYTES || length > maxBytes) {
      return;
    }
    byte[] copy = new byte[length];
    int at = 0;
    for (ByteBuffer part : content) {
      int n = part.remaining();
      part.duplicate().get(copy, at, n);
      at += n;
    }
    synchronized (this) {
      held.put(id, copy);
    }
  }

  /** Messages held now (for tests). */
  synchronized int size() {
    return held.size();
  }

  /** Bytes held now (for tests). */
  synchronized long heldBytes() {
    return held.weight();
  }
}
