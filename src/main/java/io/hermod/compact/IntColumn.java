package io.hermod.compact;

import java.util.Arrays;

/** An int per slot, growing by whole chunks; unset slots read as the column's initial value. */
public final class IntColumn {

  private final int initial;
  private int[][] chunks = new int[0][];

  public IntColumn(int initial) {
    this.initial = initial;
  }

  public IntColumn() {
    this(0);
  }

  public int get(int slot) {
    int c = slot >>> Chunks.SHIFT;
    return c < chunks.length ? chunks[c][slot & Chunks.MASK] : initial;
  }

  public void set(int slot, int value) {
    grow(slot);
    chunks[slot >>> Chunks.SHIFT][slot & Chunks.MASK] = value;
  }

  /** Heap held, in bytes. */
  public long memoryBytes() {
    return 16L + chunks.length * (16L + 4L * Chunks.SIZE);
  }

  private void grow(int slot) {
    int need = Chunks.needed(slot);
    if (need > chunks.length) {
      int old = chunks.length;
      chunks = Arrays.copyOf(chunks, need);
      for (int i = old; i < need; i++) {
        chunks[i] = new int[Chunks.SIZE];
        if (initial != 0) {
          Arrays.fill(chunks[i], initial);
        }
      }
    }
  }
}
