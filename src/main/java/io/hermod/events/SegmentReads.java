package io.hermod.events;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads by seq and by time from the segments, on worker threads (blocking file I/O). A read starts at the
 * segment's sparse index entry nearest below its target, or exactly where the previous read of that reader
 * ended (a small cache of "next seq → file offset"), and holds only what it returns in memory. A segment
 * that retention deletes under a read is skipped, as if the read had come after the drop.
 */
final class SegmentReads {

  /** Sequential readers each find their next offset here; a few hundred readers at a time is plenty. */
  private static final int CACHED_POSITIONS = 256;

  private final Supplier<List<Segment>> segments;
  private final java.util.concurrent.atomic.LongAdder scanned = new java.util.concurrent.atomic.LongAdder();
  private final Map<Long, Position> positions = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Position> eldest) {
      return size() > CACHED_POSITIONS;
    }
  };

  private record Position(Segment segment, long offset) {
  }

  SegmentReads(Supplier<List<Segment>> segments) {
    this.segments = segments;
  }

  /** Bytes read from segment files so far, by reads, seqBefore and index builds. */
  long bytesScanned() {
    return scanned.sum();
  }

  /** Blocking: see {@link EventJournal#read}. */
  List<JournalEntry> read(long after, int maxEntries, int maxBytes) throws IOException {
    List<JournalEntry> found = new ArrayList<>();
    long want = after + 1;
    long bytes = 0;
    for (Segment s : segments.get()) {
      if (s.nextSeq() <= want) {
        continue;
      }
      try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.READ)) {
        ensureIndexed(s, ch);
        RecordReader reader = new RecordReader(ch, startOffset(s, want), s.size());
        try {
          long at = reader.position();
          for (JournalRecord r = reader.next(); r != null && r.seq() < s.nextSeq(); r = reader.next()) {
            if (r.seq() >= want) {
              if (found.size() >= maxEntries || (!found.isEmpty() && bytes + r.payload().length > maxBytes)) {
                remember(r.seq(), s, at);
                return found;
              }
              found.add(new JournalEntry(r.seq(), new JsonObject(Buffer.buffer(r.payload()))));
              bytes += r.payload().length;
              want = r.seq() + 1;
            }
            at = reader.position();
          }
          remember(want, s, at);
        } finally {
          scanned.add(reader.bytesRead());
        }
      } catch (NoSuchFileException dropped) {
        // retention deleted it: its entries are gone, the next segment follows
      }
    }
    return found;
  }

  /** Blocking: see {@link EventJournal#seqBefore}. */
  long seqBefore(long timeMillis) throws IOException {
    List<Segment> all = segments.get();
    for (int i = all.size() - 1; i >= 0; i--) {
      Segment s = all.get(i);
      if (s.isEmpty() || s.firstTime() < 0 || s.firstTime() >= timeMillis) {
        continue;
      }
      try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.READ)) {
        ensureIndexed(s, ch);
        RecordReader reader = new RecordReader(ch, s.offsetBefore(timeMillis), s.size());
        long best = 0;
        for (JournalRecord r = reader.next(); r != null && r.seq() < s.nextSeq() && r.timeMillis() < timeMillis;
             r = reader.next()) {
          best = r.seq();
        }
        scanned.add(reader.bytesRead());
        if (best > 0) {
          return best;
        }
      } catch (NoSuchFileException dropped) {
        return 0;
      }
    }
    return 0;
  }

  private long startOffset(Segment s, long want) {
    synchronized (positions) {
      Position p = positions.get(want);
      if (p != null && p.segment() == s) {
        return p.offset();
      }
    }
    return s.offsetFor(want);
  }

  private void remember(long nextSeq, Segment s, long offset) {
    synchronized (positions) {
      positions.put(nextSeq, new Position(s, offset));
    }
  }

  /** A segment written before this start gets its sparse index on its first read (one scan). */
  private void ensureIndexed(Segment s, FileChannel ch) throws IOException {
    synchronized (s) {
      if (!s.isIndexed()) {
        RecordReader reader = new RecordReader(ch, 0, s.size());
        long at = 0;
        for (JournalRecord r = reader.next(); r != null && r.seq() < s.nextSeq(); r = reader.next()) {
          s.added(r.seq(), r.timeMillis(), at);
          at = reader.position();
        }
        scanned.add(reader.bytesRead());
        s.indexed();
      }
    }
  }
}
