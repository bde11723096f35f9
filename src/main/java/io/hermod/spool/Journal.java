package io.hermod.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The append-only journal of small messages (docs/spool.md): segment files {@code journal/<n>.log}. The
 * committer thread appends a whole batch of records with one write and makes it durable with ONE fsync of
 * the segment, then records the new positions in the {@link JournalIndex}. Appending, rotating and deleting
 * segments happen only on the committer thread; reads may come from any thread.
 */
final class Journal {

  static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;

  private static final Logger LOG = Logger.getLogger("io.hermod.spool");

  private final SpoolFiles files;
  private final SpoolDirs dirs;
  private final JournalIndex index;
  private final long segmentBytes;

  /**
   * Segments compaction copied live messages out of, and since when (nanoTime) each has been unneeded. Such a
   * segment is deleted only {@link #compactedGraceNanos} after that: a delivery (or a DSN being written) that
   * took a message's byte range before the copy still reads it from there. A delivery job lasts at most
   * delivery.jobTimeoutSeconds (600 by default); without the grace it failed with "Unable to open file" and the
   * message was deferred (seen under sustained load, issue #20's benchmark).
   */
  private final java.util.Map<Long, Long> compacted = new java.util.HashMap<>();
  private final long compactedGraceNanos;
  private boolean dirty; // the active segment has writes no fsync covers yet (see writeUnsynced)
  /** Batches are encoded here (committer thread only); see {@link #encode}. */
  private ByteBuffer scratch = ByteBuffer.allocateDirect(256 * 1024);
  static final int MAX_SCRATCH_BYTES = 4 * 1024 * 1024;
  private SpoolFiles.OpenFile active;
  private long activeSegment = -1;
  private long position;

  /** Compacted segments stay this long after they are no longer needed (see {@link #compacted}). */
  static final long COMPACTED_GRACE_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(15);

  Journal(SpoolFiles files, SpoolDirs dirs, JournalIndex index, long segmentBytes) {
    this(files, dirs, index, segmentBytes, COMPACTED_GRACE_NANOS);
  }

  Journal(SpoolFiles files, SpoolDirs dirs, JournalIndex index, long segmentBytes, long compactedGraceNanos) {
    this.compactedGraceNanos = compactedGraceNanos;
    this.files = files;
    this.dirs = dirs;
    this.index = index;
    this.segmentBytes = segmentBytes;
  }

  JournalIndex index() {
    return index;
  }

  /**
   * Appends {@code records} and fsyncs the segment (which makes records {@link #writeUnsynced written earlier
   * without an fsync} durable too); only then applies them to the index. On failure the segment is cut back to
   * where the batch began, so no record of a failed batch can come back at recovery.
   *
   * @return per record, whether it changed the index (an update or removal of a message already gone
   *         does not)
   */
  List<Boolean> append(List<JournalRecord> records) throws IOException {
    return write(records, true);
  }

  /**
   * Writes {@code records} and applies them to the index at once, without an fsync: for removals, whose loss in
   * a power failure only means a duplicate delivery (issue #17: fsyncs per message). A process crash keeps them
   * (they are in the file); the next {@link #append} or {@link #sync} makes them durable. They are always in the
   * active segment, and garbage collection (after an append's fsync only) never deletes that one, so a segment
   * is never deleted on the strength of a tombstone that is not yet durable.
   *
   * @return per record, whether it changed the index
   */
  List<Boolean> writeUnsynced(List<JournalRecord> records) throws IOException {
    return write(records, false);
  }

  /** One write of the batch (and its fsync when {@code sync}), then the records applied to the index. */
  private List<Boolean> write(List<JournalRecord> records, boolean sync) throws IOException {
    int total = records.stream().mapToInt(JournalRecord::encodedLength).sum();
    if (active == null || (position > 0 && position + total > segmentBytes)) {
      rotate();
    }
    ByteBuffer batch = encode(records, total);
    long start = position;
    try {
      files.write(active, batch);
      if (sync) {
        files.force(active);
      }
    } catch (IOException | RuntimeException e) {
      undo(start);
      throw e;
    }
    dirty = !sync;
    position += total;
    index.sized(activeSegment, position);
    List<Long> starts = startsOf(records, start);
    List<Boolean> applied = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      applied.add(apply(records.get(i), activeSegment, starts.get(i)));
    }
    return applied;
  }

  /** Makes what {@link #writeUnsynced} wrote durable (an fsync of the active segment), if anything. */
  void sync() throws IOException {
    if (dirty && active != null) {
      files.force(active);
      dirty = false;
    }
  }

  /**
   * The batch's bytes in the reused direct buffer (grown up to {@link #MAX_SCRATCH_BYTES}; a bigger batch gets
   * a buffer of its own): a fresh heap buffer per batch, which the channel then copied into a direct one, was a
   * twentieth of all the bytes Hermod allocated while relaying (issue #17's profile).
   */
  private ByteBuffer encode(List<JournalRecord> records, int total) {
    ByteBuffer batch;
    if (total <= scratch.capacity()) {
      batch = scratch.clear().limit(total);
    } else if (total <= MAX_SCRATCH_BYTES) {
      scratch = ByteBuffer.allocateDirect(Math.max(total, Math.min(MAX_SCRATCH_BYTES, 2 * scratch.capacity())));
      batch = scratch.limit(total);
    } else {
      batch = ByteBuffer.allocate(total);
    }
    records.forEach(r -> r.encodeInto(batch));
    return batch.flip();
  }

  /** Where each record starts in the segment when the first one starts at {@code first}. */
  private static List<Long> startsOf(List<JournalRecord> records, long first) {
    List<Long> starts = new ArrayList<>(records.size());
    long at = first;
    for (JournalRecord record : records) {
      starts.add(at);
      at += record.encodedLength();
    }
    return starts;
  }

  /** Applies one durable record at {@code offset} of {@code segment} to the index (also used by recovery). */
  boolean apply(JournalRecord record, long segment, long offset) {
    JournalIndex.Range line = new JournalIndex.Range(segment, offset + JournalRecord.lineOffset(), record.line().length);
    return switch (record.type()) {
      case MESSAGE -> {
        index.committed(record.id(), new JournalIndex.Entry(
            new JournalIndex.Range(segment, line.offset() + line.length(), record.dataLength()), line));
        yield true;
      }
      case UPDATE -> index.updated(record.id(), line);
      case REMOVE -> index.removed(record.id(), segment) != null;
    };
  }

  /**
   * Deletes every segment nothing needs any more. A segment whose tombstones waited for another one is
   * deleted only once that deletion is durable (fsync of journal/ in between).
   */
  void collectGarbage() throws IOException {
    List<Long> unneeded;
    while (!(unneeded = deletable(index.unneeded(activeSegment))).isEmpty()) {
      for (long segment : unneeded) {
        files.delete(dirs.segment(segment));
      }
      files.forceDirectory(dirs.journal());
      unneeded.forEach(index::segmentDeleted);
      unneeded.forEach(compacted::remove);
    }
  }

  /** Compaction is copying live messages out of {@code segment}: once unneeded it waits out the grace. */
  void compacting(long segment) {
    compacted.putIfAbsent(segment, Long.MAX_VALUE);
  }

  /** Of the unneeded segments, those that may go now: all but compacted ones still within their grace. */
  private List<Long> deletable(List<Long> unneeded) {
    if (compacted.isEmpty()) {
      return unneeded;
    }
    long now = System.nanoTime();
    List<Long> due = new ArrayList<>(unneeded.size());
    for (long segment : unneeded) {
      Long since = compacted.get(segment);
      if (since == null) {
        due.add(segment);
        continue;
      }
      if (since == Long.MAX_VALUE) {
        compacted.put(segment, now);
        since = now;
      }
      if (now - since >= compactedGraceNanos) {
        due.add(segment);
      }
    }
    return due;
  }

  /** The segment being appended to, or -1 before the first append. */
  long activeSegment() {
    return activeSegment;
  }

  /** True while {@code segment} exists (is not deleted). */
  boolean hasSegment(long segment) {
    return index.hasSegment(segment);
  }

  byte[] read(JournalIndex.Range range) throws IOException {
    return files.read(dirs.segment(range.segment()), range.offset(), range.length());
  }

  void close() {
    if (active != null) {
      try {
        files.close(active);
      } catch (IOException e) {
        LOG.log(Level.FINE, "spool: closing journal segment", e);
      }
      active = null;
    }
  }

  /**
   * Starts a new segment; its directory entry is made durable before anything in it is acknowledged. Records
   * written unsynced to the old segment are fsynced first.
   */
  private void rotate() throws IOException {
    sync();
    close();
    long next = Math.max(activeSegment, index.lastSegment()) + 1;
    Path file = dirs.segment(next);
    SpoolFiles.OpenFile created = files.create(file);
    try {
      files.forceDirectory(dirs.journal());
    } catch (IOException | RuntimeException e) {
      files.close(created);
      files.delete(file);
      throw e;
    }
    index.addSegment(next);
    active = created;
    activeSegment = next;
    position = 0;
  }

  private void undo(long start) {
    try {
      files.truncate(active, start);
      files.force(active);
      dirty = false;
    } catch (IOException | RuntimeException e) {
      // The failed batch may stay in this segment; it must never get more records after it, so leave it.
      LOG.log(Level.SEVERE, "spool: could not cut journal segment " + activeSegment + " back to " + start
          + "; records of a failed commit may reappear after a restart", e);
      close();
    }
  }
}
