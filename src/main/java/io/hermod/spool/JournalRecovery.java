package io.hermod.spool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Rebuilds the journal index at start-up (blocking; runs on an I/O thread). Segments are read in order and
 * every record's framing checked (header CRC, payload CRC): a damaged stretch followed by a sound record is
 * corruption, its bytes go to quarantine/ with a WARNING; a damaged stretch at the end of a segment is an
 * append cut short by a crash (never acknowledged) and is dropped. The scan keeps only positions; the
 * {@link EnvelopeLoader} then parses each live message's newest envelope once and hands it to the observer,
 * so nothing ever holds every envelope.
 */
final class JournalRecovery {

  record Result(long messages, long bytes, int quarantined, long discardedBytes) {
  }

  private static final Logger LOG = Logger.getLogger("io.hermod.spool");

  private final SpoolFiles files;
  private final SpoolDirs dirs;
  private final Journal journal;
  private final SpoolObserver observer;
  private final Consumer<RecoveryProgress> progress;
  private final JournalQuarantine quarantine;
  private long discardedBytes;

  JournalRecovery(SpoolFiles files, SpoolDirs dirs, Journal journal, SpoolObserver observer,
                  Consumer<RecoveryProgress> progress) {
    this.files = files;
    this.dirs = dirs;
    this.journal = journal;
    this.observer = observer;
    this.progress = progress;
    this.quarantine = new JournalQuarantine(files, dirs);
  }

  Result run() throws IOException {
    TreeMap<Long, Path> segments = new TreeMap<>();
    for (Path file : files.list(dirs.journal())) {
      long number = SpoolDirs.segmentNumber(file);
      if (number < 0) {
        LOG.warning("spool: ignoring unexpected file " + file);
      } else {
        segments.put(number, file);
      }
    }
    JournalIndex index = journal.index();
    int read = 0;
    for (Map.Entry<Long, Path> segment : segments.entrySet()) {
      progress.accept(new RecoveryProgress("scanning", index.size(), read, segments.size()));
      index.addSegment(segment.getKey());
      byte[] bytes = files.read(segment.getValue());
      scan(segment.getKey(), segment.getValue(), bytes);
      index.sized(segment.getKey(), bytes.length);
      read++;
    }
    EnvelopeLoader.Loaded loaded = new EnvelopeLoader(files, dirs, index, observer, progress, quarantine).run();
    journal.collectGarbage();
    return new Result(loaded.messages(), loaded.bytes(), quarantine.count(), discardedBytes);
  }

  private void scan(long segment, Path file, byte[] bytes) throws IOException {
    int pos = 0;
    while (pos < bytes.length) {
      JournalFrames.Frame frame = JournalFrames.frame(bytes, pos);
      if (frame == null) {
        int next = JournalFrames.next(bytes, pos + 1);
        if (next < 0) {
          tornTail(file, bytes, pos);
          return;
        }
        quarantine.copy(segment, bytes, pos, next, "damaged record");
        pos = next;
        continue;
      }
      try {
        apply(JournalFrames.id(bytes, frame), frame, segment);
      } catch (IllegalArgumentException e) {
        quarantine.copy(segment, bytes, pos, pos + frame.length(), e.getMessage());
      }
      pos += frame.length();
    }
  }

  /** Positions only: whether an envelope line is readable is checked once, for the newest one, by the loader. */
  private void apply(String id, JournalFrames.Frame frame, long segment) {
    JournalIndex index = journal.index();
    JournalIndex.Range line = new JournalIndex.Range(segment, frame.lineStart(), frame.lineLength());
    switch (frame.type()) {
      case MESSAGE -> index.committed(id, new JournalIndex.Entry(
          new JournalIndex.Range(segment, frame.lineStart() + frame.lineLength(), frame.dataLength()), line));
      case UPDATE -> index.updated(id, line);
      case REMOVE -> index.removed(id, segment);
    }
  }

  private void tornTail(Path file, byte[] bytes, int pos) {
    boolean zeros = true;
    for (int i = pos; i < bytes.length && zeros; i++) {
      zeros = bytes[i] == 0;
    }
    discardedBytes += bytes.length - pos;
    if (!zeros) {
      LOG.info("spool: dropped " + (bytes.length - pos) + " bytes of an unfinished append at the end of " + file);
    }
  }
}
