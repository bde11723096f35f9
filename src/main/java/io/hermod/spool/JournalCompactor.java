package io.hermod.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps the journal's disk use proportional to its live messages. Re-deferrals append envelope records and
 * deliveries remove messages, so a segment can stay on disk for a few live messages among dead records: once
 * its live bytes fall under "spool.compactBelowLivePercent" of its size, its live messages are copied
 * forward as new MESSAGE records (newest envelope + bytes) and the segment is left to the garbage collection.
 *
 * <p>Runs on the committer thread only, a bounded batch at a time placed first in a group commit: the copies
 * are built from the index as it stands before the batch (so an update or removal in the same batch comes
 * after them), become durable with the batch's fsync, and only then replace the old positions. A crash
 * before that leaves the old records standing; a crash after leaves two MESSAGE records of one id, of
 * which recovery takes the newer.
 */
final class JournalCompactor {

  /** Most bytes copied per group commit, so that compaction never holds a commit back by much. */
  static final int BATCH_BYTES = 1 << 20;
  private static final int IDS_PER_STEP = 256;
  /** Index walks per call (each up to 65,536 slots), so that a segment of tombstones costs little per batch. */
  private static final int STEPS_PER_CALL = 16;

  private final Journal journal;
  private final double ratio;
  /** Segments already compacted that stay for other reasons (tombstones, copies that must wait). */
  private final Set<Long> done = new HashSet<>();
  private long segment = -1;
  private int cursor;
  /** Set once recovery is over: a copy made from a half-rebuilt index could carry a stale envelope. */
  private volatile boolean started;
  private volatile long copied;

  /** @param percent live share below which a segment is compacted; 0 = never */
  JournalCompactor(Journal journal, int percent) {
    this.journal = journal;
    this.ratio = percent / 100.0;
  }

  /** Recovery is over: compaction may begin. */
  void start() {
    started = true;
  }

  /** True if a segment waits to be compacted (then the committer does not sleep until the next commit). */
  boolean hasWork() {
    return started && ratio > 0 && (segment >= 0 || next() >= 0);
  }

  /** The next copies to append, at most about {@link #BATCH_BYTES}; empty when there is nothing to do. */
  List<JournalRecord> copies() throws IOException {
    List<JournalRecord> copies = new ArrayList<>();
    int bytes = 0;
    for (int step = 0; step < STEPS_PER_CALL && bytes < BATCH_BYTES && started && ratio > 0; step++) {
      if (segment < 0) {
        segment = next();
        cursor = 0;
        if (segment < 0) {
          break;
        }
        journal.compacting(segment);
      }
      List<String> ids = new ArrayList<>();
      cursor = journal.index().inSegment(segment, cursor, IDS_PER_STEP, ids);
      for (String id : ids) {
        JournalRecord copy = copy(id);
        if (copy != null) {
          copies.add(copy);
          bytes += copy.encodedLength();
        }
      }
      if (cursor < 0) {
        done.add(segment);
        segment = -1;
      }
    }
    copied += copies.size();
    return copies;
  }

  /** Copies handed to the committer so far (for tests and measurements). */
  long copied() {
    return copied;
  }

  /** The oldest sparse segment not yet compacted, or -1. */
  private long next() {
    done.removeIf(s -> !journal.hasSegment(s));
    for (long candidate : journal.index().sparse(journal.activeSegment(), ratio)) {
      if (!done.contains(candidate)) {
        return candidate;
      }
    }
    return -1;
  }

  private JournalRecord copy(String id) throws IOException {
    JournalIndex.Entry entry = journal.index().get(id);
    if (entry == null || entry.data().segment() != segment) {
      return null;
    }
    byte[] line = journal.read(entry.envelope());
    byte[] data = journal.read(entry.data());
    return new JournalRecord(JournalRecord.Type.MESSAGE, id, line, List.of(ByteBuffer.wrap(data)), data.length, null);
  }
}
