package io.hermod.compact;

/** The chunk geometry shared by the columns: 65,536 entries a chunk. */
final class Chunks {

  static final int SHIFT = 16;
  static final int SIZE = 1 << SHIFT;
  static final int MASK = SIZE - 1;

  private Chunks() {
  }

  /** Chunks needed to hold index {@code slot}. */
  static int needed(int slot) {
    return (slot >>> SHIFT) + 1;
  }
}
