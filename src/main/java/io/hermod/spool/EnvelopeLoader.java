package io.hermod.spool;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Recovery's second pass over the journal: parses the newest envelope line of each live message, once, and
 * hands it to the observer. Lines are read segment by segment in offset order (one read of each segment
 * that holds any), so the pass costs one JSON parse a message, not one a record. A newest line that cannot
 * be used (not an envelope of this id and size) is quarantined and the message falls back to its newest
 * readable envelope since its MESSAGE record, or, with none, is dropped as the old whole-record check did.
 */
final class EnvelopeLoader {

  record Loaded(long messages, long bytes) {
  }

  private static final int PROGRESS_EVERY = 10_000;

  private final SpoolFiles files;
  private final SpoolDirs dirs;
  private final JournalIndex index;
  private final SpoolObserver observer;
  private final Consumer<RecoveryProgress> progress;
  private final JournalQuarantine quarantine;
  private long messages;
  private long bytes;
  private int segmentsRead;
  private int segments;

  EnvelopeLoader(SpoolFiles files, SpoolDirs dirs, JournalIndex index, SpoolObserver observer,
                 Consumer<RecoveryProgress> progress, JournalQuarantine quarantine) {
    this.files = files;
    this.dirs = dirs;
    this.index = index;
    this.observer = observer;
    this.progress = progress;
    this.quarantine = quarantine;
  }

  Loaded run() throws IOException {
    TreeMap<Long, long[]> bySegment = linesBySegment();
    segments = bySegment.size();
    for (Map.Entry<Long, long[]> segment : bySegment.entrySet()) {
      report();
      load(segment.getKey(), segment.getValue());
      segmentsRead++;
    }
    return new Loaded(messages, bytes);
  }

  /** Envelope segment → (line offset << 32 | slot) of each live message whose newest line is there, sorted. */
  private TreeMap<Long, long[]> linesBySegment() {
    TreeMap<Long, int[]> counts = new TreeMap<>();
    int limit = index.slotLimit();
    for (int slot = 0; slot < limit; slot++) {
      JournalIndex.Entry entry = index.entryAt(slot);
      if (entry != null) {
        counts.computeIfAbsent(entry.envelope().segment(), s -> new int[1])[0]++;
      }
    }
    TreeMap<Long, long[]> lines = new TreeMap<>();
    counts.forEach((segment, count) -> lines.put(segment, new long[count[0]]));
    counts.values().forEach(count -> count[0] = 0);
    for (int slot = 0; slot < limit; slot++) {
      JournalIndex.Entry entry = index.entryAt(slot);
      if (entry != null) {
        long segment = entry.envelope().segment();
        lines.get(segment)[counts.get(segment)[0]++] = entry.envelope().offset() << 32 | slot;
      }
    }
    lines.values().forEach(Arrays::sort);
    return lines;
  }

  private void load(long segment, long[] lines) throws IOException {
    byte[] content = files.read(dirs.segment(segment));
    for (long line : lines) {
      int slot = (int) line;
      String id = index.idAt(slot);
      JournalIndex.Entry entry = index.entryAt(slot);
      int offset = (int) entry.envelope().offset();
      try {
        tell(usable(Arrays.copyOfRange(content, offset, offset + entry.envelope().length()), id, entry), entry);
      } catch (IllegalArgumentException e) {
        int start = offset - JournalRecord.HEADER_LENGTH;
        boolean message = entry.data().segment() == segment && entry.data().offset() == offset + entry.envelope().length();
        quarantine.copy(segment, content, start, message ? (int) (entry.data().offset() + entry.data().length())
            : offset + entry.envelope().length(), e.getMessage());
        fallBack(id, entry);
      }
    }
  }

  private void tell(Envelope envelope, JournalIndex.Entry entry) {
    Observing.stored(observer, envelope);
    messages++;
    bytes += entry.data().length();
    if (messages % PROGRESS_EVERY == 0) {
      report();
    }
  }

  private void report() {
    progress.accept(new RecoveryProgress("loading", messages, segmentsRead, segments));
  }

  /** @throws IllegalArgumentException unless {@code line} is an envelope of {@code id} with the message's size */
  private static Envelope usable(byte[] line, String id, JournalIndex.Entry entry) {
    Envelope envelope = EnvelopeFile.parse(line);
    if (!envelope.id().equals(id)) {
      throw new IllegalArgumentException("envelope belongs to " + envelope.id());
    }
    if (envelope.size() != entry.data().length()) {
      throw new IllegalArgumentException("record has " + entry.data().length() + " message bytes, envelope says "
          + envelope.size());
    }
    return envelope;
  }

  /**
   * The message's newest line is unusable: the newest usable one among its MESSAGE record and the updates
   * after it, or, with none, the message goes (its MESSAGE record was unusable, as before this pass existed).
   * Rare (a sound CRC over bad JSON is a bug, not a disk error), so it simply reads the segments again.
   */
  private void fallBack(String id, JournalIndex.Entry entry) throws IOException {
    List<JournalIndex.Range> candidates = new ArrayList<>();
    for (long segment = entry.data().segment(); segment <= entry.envelope().segment(); segment++) {
      if (!files.exists(dirs.segment(segment))) {
        continue;
      }
      byte[] content = files.read(dirs.segment(segment));
      for (int pos = 0; pos < content.length; ) {
        JournalFrames.Frame frame = JournalFrames.frame(content, pos);
        if (frame == null) {
          pos = JournalFrames.next(content, pos + 1);
          if (pos < 0) {
            break;
          }
          continue;
        }
        JournalIndex.Range line = new JournalIndex.Range(segment, frame.lineStart(), frame.lineLength());
        if (frame.type() != JournalRecord.Type.REMOVE && after(line, entry) && idOrNull(content, frame, id)) {
          candidates.add(line);
        }
        pos += frame.length();
      }
    }
    for (int i = candidates.size() - 1; i >= 0; i--) {
      JournalIndex.Range line = candidates.get(i);
      try {
        Envelope envelope = usable(files.read(dirs.segment(line.segment()), line.offset(), line.length()), id, entry);
        index.updated(id, line);
        tell(envelope, entry);
        return;
      } catch (IllegalArgumentException e) {
        // an older line of the same message: try the next one back
      }
    }
    index.forget(id);
  }

  /** True if {@code line} lies from the message's MESSAGE record up to (not including) its newest line. */
  private static boolean after(JournalIndex.Range line, JournalIndex.Entry entry) {
    long[] end = {line.segment(), line.offset() + line.length()};
    long[] data = {entry.data().segment(), entry.data().offset()};
    long[] start = {line.segment(), line.offset()};
    long[] newest = {entry.envelope().segment(), entry.envelope().offset()};
    return Arrays.compare(end, data) >= 0 && Arrays.compare(start, newest) < 0;
  }

  private static boolean idOrNull(byte[] content, JournalFrames.Frame frame, String id) {
    try {
      return id.equals(JournalFrames.id(content, frame));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
