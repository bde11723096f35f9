package io.hermod.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The journal's files, on its single writer thread: recovery at open (the newest segment is scanned and a torn
 * tail cut), group-committed batches (one write and one fsync for many entries), segment rolls and retention.
 * Never called on an event loop. Readers see {@link #segments()} and each segment's durable size.
 */
final class SegmentWriter {

  private static final Logger LOG = Logger.getLogger(SegmentWriter.class.getName());

  private final Path dir;
  private final JournalLimits limits;
  private final CopyOnWriteArrayList<Segment> segments = new CopyOnWriteArrayList<>();
  private FileChannel out;
  private Segment active;
  private long nextSeq;
  private long lastTime;
  private boolean rollBeforeNextWrite; // a failed write could not be cut off: never append after it

  private SegmentWriter(Path dir, JournalLimits limits) {
    this.dir = dir;
    this.limits = limits;
  }

  /** Opens (or creates) the journal in {@code dir}: blocking. */
  static SegmentWriter open(Path dir, JournalLimits limits, long nowMillis) throws IOException {
    SegmentWriter w = new SegmentWriter(dir, limits);
    w.recover(nowMillis);
    return w;
  }

  List<Segment> segments() {
    return segments;
  }

  long nextSeq() {
    return nextSeq;
  }

  long bytes() {
    long total = 0;
    for (Segment s : segments) {
      total += s.size();
    }
    return total;
  }

  private void recover(long nowMillis) throws IOException {
    Files.createDirectories(dir);
    List<Long> firstSeqs = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(Files::isRegularFile).map(p -> Segment.firstSeqOf(p.getFileName().toString()))
          .filter(s -> s > 0).sorted()
          .forEach(firstSeqs::add);
    }
    if (firstSeqs.isEmpty()) {
      startSegment(1);
      return;
    }
    List<Segment> older = new ArrayList<>();
    for (int i = 0; i < firstSeqs.size() - 1; i++) {
      Segment s = new Segment(firstSeqs.get(i), dir.resolve(Segment.fileName(firstSeqs.get(i))));
      long size = Files.size(s.path);
      // Written before this start: its entries end where the next segment's begin (its newest time is set below).
      s.known(size, firstSeqs.get(i + 1), firstTimeOf(s.path, size), -1);
      older.add(s);
    }
    long last = firstSeqs.get(firstSeqs.size() - 1);
    active = new Segment(last, dir.resolve(Segment.fileName(last)));
    out = FileChannel.open(active.path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    long good = scan(active, out);
    long size = out.size();
    if (good < size) {
      LOG.warning("event journal " + active.path + ": cut " + (size - good) + " torn byte(s) at the end (a crash "
          + "during a write); entries up to seq " + (active.nextSeq() - 1) + " are kept");
      out.truncate(good);
      out.force(true);
    }
    active.indexed();
    // An older segment's newest entry is no newer than its file's last change, nor than the next segment's
    // first entry: age retention goes by the lower of the two, without reading every segment at start.
    for (int i = 0; i < older.size(); i++) {
      Segment s = older.get(i);
      long nextFirst = i + 1 < older.size() ? older.get(i + 1).firstTime() : active.firstTime();
      long modified = Files.getLastModifiedTime(s.path).toMillis();
      long bound = nextFirst >= 0 ? Math.min(nextFirst, modified) : modified;
      s.known(s.size(), s.nextSeq(), s.firstTime(), Math.max(s.firstTime(), bound));
    }
    segments.addAll(older);
    segments.add(active);
    nextSeq = active.nextSeq();
    lastTime = active.lastTime();
  }

  /** Reads every record of {@code s}, indexing it; returns the offset after the last good one. */
  static long scan(Segment s, FileChannel channel) throws IOException {
    RecordReader reader = new RecordReader(channel, 0, channel.size());
    long expected = s.firstSeq;
    long at = 0;
    for (JournalRecord r = reader.next(); r != null && r.seq() == expected; r = reader.next()) {
      s.added(r.seq(), r.timeMillis(), at);
      at = reader.position();
      expected++;
    }
    s.durable(at, expected);
    return at;
  }

  private static long firstTimeOf(Path path, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      JournalRecord first = new RecordReader(ch, 0, size).next();
      return first == null ? -1 : first.timeMillis();
    }
  }

  /** One written entry: its seq, its time and its size in the file. */
  record Written(long seq, long time, int bytes) {
  }

  /**
   * Writes {@code payloads} as the next entries and fsyncs them (one write, one fsync): group commit. On an
   * error nothing of the batch counts: the file is cut back to where the batch began (or, if even that fails,
   * the next batch goes to a new segment) and the same seqs are used again by the retry.
   */
  List<Written> write(List<byte[]> payloads, long nowMillis) throws IOException {
    if (rollBeforeNextWrite || active.size() >= limits.segmentBytes()
        || (!active.isEmpty() && nowMillis - active.firstTime() >= JournalLimits.ROLL_AGE.toMillis())) {
      roll();
    }
    long time = Math.max(lastTime, nowMillis); // non-decreasing, so that seqBefore can search by time
    long start = active.size();
    int total = 0;
    for (byte[] p : payloads) {
      total += JournalRecord.HEADER_BYTES + p.length;
    }
    ByteBuffer buffer = ByteBuffer.allocate(total);
    List<Written> written = new ArrayList<>(payloads.size());
    long seq = nextSeq;
    for (byte[] p : payloads) {
      JournalRecord r = new JournalRecord(seq++, time, p);
      r.encode(buffer);
      written.add(new Written(r.seq(), time, r.size()));
    }
    buffer.flip();
    try {
      long at = start;
      while (buffer.hasRemaining()) {
        at += out.write(buffer, at);
      }
      out.force(false);
    } catch (IOException e) {
      undo(start);
      throw e;
    }
    long offset = start;
    for (Written w : written) {
      active.added(w.seq(), w.time(), offset);
      offset += w.bytes();
    }
    active.durable(offset, seq);
    nextSeq = seq;
    lastTime = time;
    return written;
  }

  private void undo(long start) {
    try {
      out.truncate(start);
    } catch (IOException e) {
      rollBeforeNextWrite = true;
    }
  }

  /** Closes the active segment and starts the next one, named by the next seq (which it thereby persists). */
  private void roll() throws IOException {
    if (active.isEmpty()) {
      // Nothing durable in it: start it over rather than leave an empty segment behind (same name).
      out.truncate(0);
      rollBeforeNextWrite = false;
      return;
    }
    out.force(true);
    FileChannel previous = out;
    startSegment(nextSeq); // if this fails, the old segment stays the active one and the next write tries again
    previous.close();
    rollBeforeNextWrite = false;
  }

  private void startSegment(long firstSeq) throws IOException {
    Segment s = new Segment(firstSeq, dir.resolve(Segment.fileName(firstSeq)));
    FileChannel channel = FileChannel.open(s.path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    try {
      fsyncDirectory();
    } catch (IOException e) {
      channel.close();
      Files.deleteIfExists(s.path);
      throw e;
    }
    s.indexed();
    segments.add(s);
    out = channel;
    active = s;
    nextSeq = firstSeq;
  }

  private void fsyncDirectory() throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  /**
   * Retention (the journal's compaction): closes an active segment older than {@link JournalLimits#ROLL_AGE},
   * then drops the oldest whole segments while the journal is over {@code maxBytes} or their newest entry is
   * older than {@code maxAge}. The active segment is never dropped. Returns how many entries went.
   */
  long retain(long nowMillis) throws IOException {
    if (!active.isEmpty() && nowMillis - active.firstTime() >= JournalLimits.ROLL_AGE.toMillis()) {
      roll();
    }
    long cutoff = nowMillis - limits.maxAge().toMillis();
    long dropped = 0;
    boolean deleted = false;
    while (segments.size() > 1) {
      Segment oldest = segments.get(0);
      boolean tooOld = oldest.lastTime() < cutoff;
      if (!tooOld && bytes() <= limits.maxBytes()) {
        break;
      }
      segments.remove(0);
      try {
        Files.delete(oldest.path);
      } catch (NoSuchFileException gone) {
        // an operator removed it: the same outcome
      }
      deleted = true;
      dropped += oldest.nextSeq() - oldest.firstSeq;
    }
    if (deleted) {
      fsyncDirectory();
    }
    return dropped;
  }

  void close() throws IOException {
    if (out != null && out.isOpen()) {
      out.force(true);
      out.close();
    }
  }
}
