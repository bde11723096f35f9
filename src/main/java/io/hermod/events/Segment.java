package io.hermod.events;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * One segment file of the journal, {@code <firstSeq>.seg}: the entries from {@code firstSeq} on, in seq order,
 * until the next segment's first seq. The name persists the seq even when the file is empty (a new segment
 * after a roll, or after retention dropped everything), so seqs are never reused.
 *
 * <p>In memory: the bytes that are durable ({@link #size}), and a sparse index of (seq, time, offset) about every
 * {@link #INDEX_EVERY} bytes, so a read by seq or time starts near its target instead of at the segment's start.
 * The index of a segment written before this start is built when a reader first needs it (one scan).
 * Thread-safe: the writer appends, readers look up.
 */
final class Segment {

  /** One index entry per this many bytes: a 64 MiB segment has about 1,000 (24 KB of memory). */
  static final long INDEX_EVERY = 64 * 1024;

  final long firstSeq;
  final Path path;
  private volatile long size;
  private volatile long nextSeq; // the seq after its last entry; firstSeq when empty
  private volatile long firstTime = -1; // time of its first entry, -1 when empty
  private volatile long lastTime = -1; // time of its newest entry, as far as known
  private boolean indexed;
  private long[] seqs = new long[16];
  private long[] times = new long[16];
  private long[] offsets = new long[16];
  private int entries;
  private long lastIndexedOffset = -INDEX_EVERY;

  Segment(long firstSeq, Path path) {
    this.firstSeq = firstSeq;
    this.path = path;
    this.nextSeq = firstSeq;
  }

  static String fileName(long firstSeq) {
    return String.format("%020d.seg", firstSeq);
  }

  /** The first seq of a segment file's name, or -1 when it is not one. */
  static long firstSeqOf(String fileName) {
    if (!fileName.matches("\\d{20}\\.seg")) {
      return -1;
    }
    return Long.parseLong(fileName.substring(0, 20));
  }

  long size() {
    return size;
  }

  long nextSeq() {
    return nextSeq;
  }

  boolean isEmpty() {
    return nextSeq == firstSeq;
  }

  long firstTime() {
    return firstTime;
  }

  long lastTime() {
    return lastTime;
  }

  /** What the open learnt of a segment it did not scan: its entries end where the next segment starts. */
  synchronized void known(long size, long nextSeq, long firstTime, long lastTime) {
    this.size = size;
    this.nextSeq = nextSeq;
    this.firstTime = firstTime;
    this.lastTime = lastTime;
  }

  /** Records one entry written at {@code offset}; its bytes count once {@link #durable} says so. */
  synchronized void added(long seq, long time, long offset) {
    if (firstTime < 0) {
      firstTime = time;
    }
    lastTime = Math.max(lastTime, time);
    if (offset - lastIndexedOffset >= INDEX_EVERY) {
      index(seq, time, offset);
    }
  }

  /** After fsync: entries below {@code nextSeq} and the first {@code size} bytes are durable. */
  void durable(long size, long nextSeq) {
    this.size = size;
    this.nextSeq = nextSeq;
  }

  /** Marks this segment's index as complete (it was written, or scanned, in this process). */
  synchronized void indexed() {
    indexed = true;
  }

  synchronized boolean isIndexed() {
    return indexed;
  }

  private void index(long seq, long time, long offset) {
    if (entries == seqs.length) {
      seqs = Arrays.copyOf(seqs, entries * 2);
      times = Arrays.copyOf(times, entries * 2);
      offsets = Arrays.copyOf(offsets, entries * 2);
    }
    seqs[entries] = seq;
    times[entries] = time;
    offsets[entries] = offset;
    entries++;
    lastIndexedOffset = offset;
  }

  /** Where to start reading to find {@code seq}: the offset of the last indexed entry at or below it (or 0). */
  synchronized long offsetFor(long seq) {
    int i = floor(seqs, seq);
    return i < 0 ? 0 : offsets[i];
  }

  /** Where to start reading to find the last entry before {@code time}. */
  synchronized long offsetBefore(long time) {
    int i = floor(times, time - 1);
    return i < 0 ? 0 : offsets[i];
  }

  /** The index of the last of the first {@code entries} values at or below {@code key}, -1 if none. */
  private int floor(long[] values, long key) {
    int i = Arrays.binarySearch(values, 0, entries, key);
    if (i >= 0) {
      while (i + 1 < entries && values[i + 1] == key) {
        i++;
      }
      return i;
    }
    return -i - 2;
  }
}
