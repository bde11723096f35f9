package io.hermod.queue;

/**
 * Counts keyed by a pair of ints (a domain or site id and an arrival minute), in an open-addressing table of
 * primitives: about 24 bytes a pair with no object per pair. A count that drops to zero frees its entry
 * (backward-shift deletion, so the table never fills with tombstones), and the table shrinks when a storm
 * has drained. Not thread-safe.
 */
final class PairCounts {

  /** Called once per pair with a non-zero count. */
  interface Visitor {
    void visit(int a, int b, int count);
  }

  private static final int MIN_CAPACITY = 16;

  private long[] keys = new long[MIN_CAPACITY];
  /** 0 marks an empty entry: a stored count is never 0. */
  private int[] counts = new int[MIN_CAPACITY];
  private int size;

  void add(int a, int b, int delta) {
    long key = ((long) a << 32) | (b & 0xffffffffL);
    int mask = keys.length - 1;
    int i = mix(key) & mask;
    while (counts[i] != 0) {
      if (keys[i] == key) {
        counts[i] += delta;
        if (counts[i] == 0) {
          delete(i);
        }
        return;
      }
      i = (i + 1) & mask;
    }
    if (delta <= 0) {
      throw new IllegalStateException("count of (" + a + ", " + b + ") below zero");
    }
    keys[i] = key;
    counts[i] = delta;
    if (++size > keys.length / 2) {
      resize(keys.length * 2);
    }
  }

  void forEach(Visitor visitor) {
    for (int i = 0; i < keys.length; i++) {
      if (counts[i] != 0) {
        visitor.visit((int) (keys[i] >> 32), (int) keys[i], counts[i]);
      }
    }
  }

  int size() {
    return size;
  }

  long memoryBytes() {
    return 32 + 12L * keys.length;
  }

  private static int mix(long key) {
    long h = key ^ (key >>> 33);
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return (int) h;
  }

  /** Empties entry {@code i}, moving later entries of its probe run back into the hole (Knuth's algorithm R). */
  private void delete(int i) {
    int mask = keys.length - 1;
    int hole = i;
    for (int j = (i + 1) & mask; counts[j] != 0; j = (j + 1) & mask) {
      int home = mix(keys[j]) & mask;
      // distance from home to j versus from home to the hole: move it if the hole is on its probe path
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        keys[hole] = keys[j];
        counts[hole] = counts[j];
        hole = j;
      }
    }
    counts[hole] = 0;
    size--;
    if (keys.length > MIN_CAPACITY && size < keys.length / 8) {
      resize(keys.length / 2);
    }
  }

  private void resize(int capacity) {
    long[] oldKeys = keys;
    int[] oldCounts = counts;
    keys = new long[capacity];
    counts = new int[capacity];
    int mask = capacity - 1;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldCounts[i] != 0) {
        int j = mix(oldKeys[i]) & mask;
        while (counts[j] != 0) {
          j = (j + 1) & mask;
        }
        keys[j] = oldKeys[i];
        counts[j] = oldCounts[i];
      }
    }
  }
}
