package io.hermod.spool;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each live journal message is, and which segments are still needed. A segment is needed while it
 * holds the bytes or the newest envelope of a live message, or the tombstone of a message whose bytes are
 * still in an older segment (deleting the tombstone first would bring that message back). Thread-safe:
 * the committer changes it, I/O threads read it.
 */
final class JournalIndex {

  /** A byte range in a segment. */
  record Range(long segment, long offset, int length) {
  }

  /** A live message: its bytes and its newest envelope line. */
  record Entry(Range data, Range envelope) {
  }

  private final Map<String, Entry> live = new HashMap<>();
  /** Existing segments → how many references keep each one. */
  private final TreeMap<Long, Integer> references = new TreeMap<>();
  /** Segment holding message bytes → segments whose tombstones wait for its deletion. */
  private final Map<Long, List<Long>> tombstonesWaitingOn = new HashMap<>();

  synchronized void addSegment(long segment) {
    references.putIfAbsent(segment, 0);
  }

  synchronized Entry get(String id) {
    return live.get(id);
  }

  synchronized List<String> ids() {
    return new ArrayList<>(live.keySet());
  }

  synchronized int size() {
    return live.size();
  }

  /** The highest segment number known, or -1. */
  synchronized long lastSegment() {
    return references.isEmpty() ? -1 : references.lastKey();
  }

  synchronized void committed(String id, Entry entry) {
    live.put(id, entry);
    reference(entry.data().segment(), 1);
    reference(entry.envelope().segment(), 1);
  }

  /** @return false if the message is no longer live (then nothing changes) */
  synchronized boolean updated(String id, Range envelope) {
    Entry old = live.get(id);
    if (old == null) {
      return false;
    }
    live.put(id, new Entry(old.data(), envelope));
    reference(envelope.segment(), 1);
    reference(old.envelope().segment(), -1);
    return true;
  }

  /**
   * The tombstone of {@code id}, in {@code segment}, is durable.
   *
   * @return the entry removed, or null if it was not live
   */
  synchronized Entry removed(String id, long segment) {
    Entry old = live.remove(id);
    if (old == null) {
      return null;
    }
    long dataSegment = old.data().segment();
    if (dataSegment != segment && references.containsKey(dataSegment)) {
      reference(segment, 1);
      tombstonesWaitingOn.computeIfAbsent(dataSegment, k -> new ArrayList<>()).add(segment);
    }
    reference(dataSegment, -1);
    reference(old.envelope().segment(), -1);
    return old;
  }

  /** Segments nothing needs any more, except {@code active} (the one being appended to). */
  synchronized List<Long> unneeded(long active) {
    List<Long> result = new ArrayList<>();
    references.forEach((segment, count) -> {
      if (count == 0 && segment != active) {
        result.add(segment);
      }
    });
    return result;
  }

  /** {@code segment}'s deletion is durable: tombstones that waited for it are no longer needed. */
  synchronized void segmentDeleted(long segment) {
    references.remove(segment);
    List<Long> waiting = tombstonesWaitingOn.remove(segment);
    if (waiting != null) {
      waiting.forEach(s -> reference(s, -1));
    }
  }

  private void reference(long segment, int delta) {
    references.merge(segment, delta, Integer::sum);
  }
}
