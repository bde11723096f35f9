package io.hermod.compact;

import java.util.Arrays;

/** A long per slot, growing by whole chunks; unset slots read 0. */
public final class LongColumn {

  private long[][] chunks = new long[0][];

  public long get(int slot) {
    int c = slot >>> Chunks.SHIFT;
    return c < chunks.length ? chunks[c][slot & Chunks.MASK] : 0L;
  }

  public void set(int slot, long value) {
    int need = Chunks.needed(slot);
    if (need > chunks.length) {
      int old = chunks.length;
      chunks = Arrays.copyOf(chunks, need);
      for (int i = old; i < need; i++) {
        chunks[i] = new long[Chunks.SIZE];
      }
    }
    chunks[slot >>> Chunks.SHIFT][slot & Chunks.MASK] = value;
  }

  public long memoryBytes() {
    return 16L + chunks.length * (16L + 8L * Chunks.SIZE);
  }
}
