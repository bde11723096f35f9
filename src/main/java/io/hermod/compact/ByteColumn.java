package io.hermod.compact;

import java.util.Arrays;

/** A byte per slot (flags), growing by whole chunks; unset slots read 0. */
public final class ByteColumn {

  private byte[][] chunks = new byte[0][];

  public byte get(int slot) {
    int c = slot >>> Chunks.SHIFT;
    return c < chunks.length ? chunks[c][slot & Chunks.MASK] : 0;
  }

  public void set(int slot, byte value) {
    int need = Chunks.needed(slot);
    if (need > chunks.length) {
      int old = chunks.length;
      chunks = Arrays.copyOf(chunks, need);
      for (int i = old; i < need; i++) {
        chunks[i] = new byte[Chunks.SIZE];
      }
    }
    chunks[slot >>> Chunks.SHIFT][slot & Chunks.MASK] = value;
  }

  public long memoryBytes() {
    return 16L + chunks.length * (16L + Chunks.SIZE);
  }
}
