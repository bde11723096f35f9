package io.hermod.spool;

import io.hermod.compact.IdTable;
import io.hermod.compact.IntColumn;

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
 *
 * <p>Sized for 10^7 messages: an id has a stable slot in an {@link IdTable} and its positions are int
 * columns indexed by slot (segments are at most 64 MiB plus one batch, so offsets fit an int), about 50
 * bytes a message instead of ~150 for a map of records.
 */
final class JournalIndex {

  /** A byte range in a segment. */
  record Range(long segment, long offset, int length) {
  }

  /** A live message: its bytes and its newest envelope line. */
  record Entry(Range data, Range envelope) {
  }

  /** What one segment holds: references that keep it, the bytes they stand for, and its size. */
  private static final class Segment {
    int references;
    long liveBytes;
    long size;
  }

  private final IdTable ids = new IdTable();
  private final IntColumn dataSegment = new IntColumn();
  private final IntColumn dataOffset = new IntColumn();
  private final IntColumn dataLength = new IntColumn();
  private final IntColumn envelopeSegment = new IntColumn();
  private final IntColumn envelopeOffset = new IntColumn();
  private final IntColumn envelopeLength = new IntColumn();
  /**
   * The oldest segment that may still hold a MESSAGE record of the message: its original one after a
   * compaction copied it forward. A tombstone must outlive that segment too, or the old copy would come back.
   */
  private final IntColumn firstSegment = new IntColumn();
  private final TreeMap<Long, Segment> segments = new TreeMap<>();
  /** Segment holding message bytes → segments whose tombstones wait for its deletion. */
  private final Map<Long, List<Long>> tombstonesWaitingOn = new HashMap<>();

  synchronized void addSegment(long segment) {
    segments.computeIfAbsent(segment, s -> new Segment());
  }

  /** The segment now ends at {@code size} (after an append, or as found at recovery). */
  synchronized void sized(long segment, long size) {
    Segment s = segments.get(segment);
    if (s != null) {
      s.size = size;
    }
  }

  synchronized Entry get(String id) {
    int slot = ids.slotOf(id);
    return slot < 0 ? null : entry(slot);
  }

  /** The ids of every live message (a copy, in no order): O(n), for {@link Spool#list()} only. */
  synchronized List<String> ids() {
    List<String> result = new ArrayList<>(ids.size());
    for (int slot = 0; slot < ids.slotLimit(); slot++) {
      String id = ids.idAt(slot);
      if (id != null) {
        result.add(id);
      }
    }
    return result;
  }

  synchronized int size() {
    return ids.size();
  }

  synchronized boolean hasSegment(long segment) {
    return segments.containsKey(segment);
  }

  /** The highest segment number known, or -1. */
  synchronized long lastSegment() {
    return segments.isEmpty() ? -1 : segments.lastKey();
  }

  /**
   * A MESSAGE record of {@code id} is durable. A second one for a live id is a compaction's copy: it
   * replaces the first, which stops keeping its segments.
   */
  synchronized void committed(String id, Entry entry) {
    int slot = ids.slotOf(id);
    int first = (int) entry.data().segment();
    if (slot >= 0) {
      int oldFirst = firstSegment.get(slot);
      first = oldFirst != dataSegment.get(slot) && segments.containsKey((long) oldFirst) ? oldFirst
          : dataSegment.get(slot);
      release(slot);
    } else {
      slot = ids.add(id);
    }
    firstSegment.set(slot, first);
    setData(slot, entry.data());
    setEnvelope(slot, entry.envelope());
  }

  /** @return false if the message is no longer live (then nothing changes) */
  synchronized boolean updated(String id, Range envelope) {
    int slot = ids.slotOf(id);
    if (slot < 0) {
      return false;
    }
    reference(envelopeSegment.get(slot), -1, envelopeLength.get(slot));
    setEnvelope(slot, envelope);
    return true;
  }

  /**
   * The tombstone of {@code id}, in {@code segment}, is durable.
   *
   * @return the entry removed, or null if it was not live
   */
  synchronized Entry removed(String id, long segment) {
    int slot = ids.slotOf(id);
    if (slot < 0) {
      return null;
    }
    Entry old = entry(slot);
    waitFor(segment, old.data().segment());
    long first = firstSegment.get(slot);
    if (first != old.data().segment()) {
      waitFor(segment, first);
    }
    release(slot);
    ids.remove(id);
    return old;
  }

  /** Forgets {@code id} without a tombstone (recovery found its newest record unreadable). */
  synchronized void forget(String id) {
    int slot = ids.slotOf(id);
    if (slot >= 0) {
      release(slot);
      ids.remove(id);
    }
  }

  /** Segments nothing needs any more, except {@code active} (the one being appended to). */
  synchronized List<Long> unneeded(long active) {
    List<Long> result = new ArrayList<>();
    segments.forEach((segment, s) -> {
      if (s.references == 0 && segment != active) {
        result.add(segment);
      }
    });
    return result;
  }

  /**
   * Segments other than {@code active} still needed but mostly dead: live bytes below {@code ratio} of
   * their size, oldest first. Compaction copies their live messages forward so that they can go.
   */
  synchronized List<Long> sparse(long active, double ratio) {
    List<Long> result = new ArrayList<>();
    segments.forEach((segment, s) -> {
      if (segment != active && s.references > 0 && s.size > 0 && s.liveBytes < ratio * s.size) {
        result.add(segment);
      }
    });
    return result;
  }

  /**
   * Up to {@code max} ids whose bytes are in {@code segment}, looking at slots from {@code fromSlot}; a
   * message whose older copy's segment still exists is left where it is (two old copies of one message
   * would need two tombstone waits). Walks slots in bounded steps so that the lock is held briefly.
   *
   * @param found receives the ids; @return the slot to continue from, or -1 when all slots were seen
   */
  synchronized int inSegment(long segment, int fromSlot, int max, List<String> found) {
    int limit = ids.slotLimit();
    int slot = fromSlot;
    for (int seen = 0; slot < limit && found.size() < max && seen < 1 << 16; slot++, seen++) {
      if (ids.used(slot) && dataSegment.get(slot) == segment && (firstSegment.get(slot) == segment
          || !segments.containsKey((long) firstSegment.get(slot)))) {
        found.add(ids.idAt(slot));
      }
    }
    return slot < limit ? slot : -1;
  }

  /** {@code segment}'s deletion is durable: tombstones that waited for it are no longer needed. */
  synchronized void segmentDeleted(long segment) {
    segments.remove(segment);
    List<Long> waiting = tombstonesWaitingOn.remove(segment);
    if (waiting != null) {
      waiting.forEach(s -> reference(s, -1, 0));
    }
  }

  /** Heap held by the per-message tables, in bytes (for measurements). */
  synchronized long memoryBytes() {
    return ids.memoryBytes() + dataSegment.memoryBytes() + dataOffset.memoryBytes() + dataLength.memoryBytes()
        + envelopeSegment.memoryBytes() + envelopeOffset.memoryBytes() + envelopeLength.memoryBytes()
        + firstSegment.memoryBytes();
  }

  /** Every slot in use is below this (recovery's envelope pass walks slots, not ids). */
  synchronized int slotLimit() {
    return ids.slotLimit();
  }

  /** The id in {@code slot}, or null when the slot is free. */
  synchronized String idAt(int slot) {
    return ids.idAt(slot);
  }

  /** The entry of the message in {@code slot}, or null when the slot is free. */
  synchronized Entry entryAt(int slot) {
    return ids.used(slot) ? entry(slot) : null;
  }

  /** The tombstone in {@code tombstone} must stay while {@code messageSegment} (holding a copy) exists. */
  private void waitFor(long tombstone, long messageSegment) {
    if (messageSegment != tombstone && segments.containsKey(messageSegment)) {
      reference(tombstone, 1, 0);
      tombstonesWaitingOn.computeIfAbsent(messageSegment, k -> new ArrayList<>()).add(tombstone);
    }
  }

  private Entry entry(int slot) {
    return new Entry(new Range(dataSegment.get(slot), dataOffset.get(slot), dataLength.get(slot)),
        new Range(envelopeSegment.get(slot), envelopeOffset.get(slot), envelopeLength.get(slot)));
  }

  /** Drops the references the message's bytes and newest envelope hold. */
  private void release(int slot) {
    reference(dataSegment.get(slot), -1, dataLength.get(slot));
    reference(envelopeSegment.get(slot), -1, envelopeLength.get(slot));
  }

  private void setData(int slot, Range data) {
    dataSegment.set(slot, narrow(data.segment()));
    dataOffset.set(slot, narrow(data.offset()));
    dataLength.set(slot, data.length());
    reference(data.segment(), 1, data.length());
  }

  private void setEnvelope(int slot, Range envelope) {
    envelopeSegment.set(slot, narrow(envelope.segment()));
    envelopeOffset.set(slot, narrow(envelope.offset()));
    envelopeLength.set(slot, envelope.length());
    reference(envelope.segment(), 1, envelope.length());
  }

  /** A record's header counts with what it carries, so a segment of live records is fully live. */
  private void reference(long segment, int delta, int length) {
    Segment s = segments.computeIfAbsent(segment, k -> new Segment());
    s.references += delta;
    s.liveBytes += (long) delta * (length + JournalRecord.HEADER_LENGTH);
  }

  private static int narrow(long value) {
    if (value < 0 || value > Integer.MAX_VALUE) {
      throw new IllegalStateException("journal position out of range: " + value);
    }
    return (int) value;
  }
}
