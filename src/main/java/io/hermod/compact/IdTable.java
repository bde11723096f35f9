package io.hermod.compact;

import java.util.Arrays;

/**
 * Queue ids (16 characters of lower-case Crockford base32, io.hermod.spool.QueueIds) to stable slots: a
 * message keeps its slot from {@link #add} to {@link #remove}, so columns indexed by slot describe it and a
 * walk in slot order is a cursor that survives changes. A freed slot is reused by a later message. An id is
 * packed into 12 bytes (60 + 20 bits); the lookup is an open-addressing table of slots with linear probing
 * and backward-shift deletion (no tombstones, so it never degrades however many ids come and go). About
 * 20 bytes a message in all. Not thread-safe.
 */
public final class IdTable {

  static final int LENGTH = 16;
  private static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
  private static final int[] VALUE = new int[128];
  private static final int FREE = -1;
  private static final double MAX_LOAD = 0.6;

  static {
    Arrays.fill(VALUE, -1);
    for (int i = 0; i < ALPHABET.length(); i++) {
      VALUE[ALPHABET.charAt(i)] = i;
    }
  }

  private final LongColumn high = new LongColumn();
  private final IntColumn low = new IntColumn(FREE);
  /** slot + 1 per bucket; 0 is an empty bucket. */
  private int[] table = new int[1 << 10];
  private int[] freeSlots = new int[64];
  private int freeCount;
  private int size;
  private int slotsUsed;

  /** The slot of {@code id}, or -1 when it is not in the table (or not a queue id). */
  public int slotOf(String id) {
    if (!plausible(id)) {
      return -1;
    }
    long hi = high(id);
    int lo = low(id);
    int mask = table.length - 1;
    for (int b = bucket(hi, lo, mask); table[b] != 0; b = (b + 1) & mask) {
      int slot = table[b] - 1;
      if (high.get(slot) == hi && low.get(slot) == lo) {
        return slot;
      }
    }
    return -1;
  }

  /**
   * The slot of {@code id}, added if absent.
   *
   * @throws IllegalArgumentException if {@code id} is not a queue id
   */
  public int add(String id) {
    if (!plausible(id)) {
      throw new IllegalArgumentException("not a queue id: " + id);
    }
    int existing = slotOf(id);
    if (existing >= 0) {
      return existing;
    }
    if (size + 1 > table.length * MAX_LOAD) {
      rehash(table.length * 2);
    }
    int slot = freeCount > 0 ? freeSlots[--freeCount] : slotsUsed++;
    long hi = high(id);
    int lo = low(id);
    high.set(slot, hi);
    low.set(slot, lo);
    insert(slot, hi, lo);
    size++;
    return slot;
  }

  /** Removes {@code id}; its slot is free for reuse. Returns the slot it had, or -1 when absent. */
  public int remove(String id) {
    int slot = slotOf(id);
    if (slot < 0) {
      return -1;
    }
    int mask = table.length - 1;
    int b = bucket(high.get(slot), low.get(slot), mask);
    while (table[b] != slot + 1) {
      b = (b + 1) & mask;
    }
    deleteBucket(b);
    low.set(slot, FREE);
    high.set(slot, 0);
    if (freeCount == freeSlots.length) {
      freeSlots = Arrays.copyOf(freeSlots, freeCount * 2);
    }
    freeSlots[freeCount++] = slot;
    size--;
    return slot;
  }

  /** The id in {@code slot}, or null when the slot is free. */
  public String idAt(int slot) {
    if (slot < 0 || slot >= slotsUsed || low.get(slot) == FREE) {
      return null;
    }
    char[] out = new char[LENGTH];
    long hi = high.get(slot);
    for (int i = 11; i >= 0; i--) {
      out[i] = ALPHABET.charAt((int) (hi & 31));
      hi >>>= 5;
    }
    int lo = low.get(slot);
    for (int i = 15; i >= 12; i--) {
      out[i] = ALPHABET.charAt(lo & 31);
      lo >>>= 5;
    }
    return new String(out);
  }

  /** True when {@code slot} holds an id. */
  public boolean used(int slot) {
    return slot >= 0 && slot < slotsUsed && low.get(slot) != FREE;
  }

  public int size() {
    return size;
  }

  /** Every slot ever used is below this (walk {@code [0, slotLimit())} and skip the free ones). */
  public int slotLimit() {
    return slotsUsed;
  }

  /** Heap held, in bytes. */
  public long memoryBytes() {
    return high.memoryBytes() + low.memoryBytes() + 16L + 4L * table.length + 16L + 4L * freeSlots.length;
  }

  private static boolean plausible(String id) {
    if (id == null || id.length() != LENGTH) {
      return false;
    }
    for (int i = 0; i < LENGTH; i++) {
      char c = id.charAt(i);
      if (c >= 128 || VALUE[c] < 0) {
        return false;
      }
    }
    return true;
  }

  private static long high(String id) {
    long v = 0;
    for (int i = 0; i < 12; i++) {
      v = (v << 5) | VALUE[id.charAt(i)];
    }
    return v;
  }

  private static int low(String id) {
    int v = 0;
    for (int i = 12; i < LENGTH; i++) {
      v = (v << 5) | VALUE[id.charAt(i)];
    }
    return v;
  }

  /** A 64-bit mix (the murmur3 finaliser): ids share their time prefix, so their bits must be spread. */
  private static int bucket(long hi, int lo, int mask) {
    long h = hi * 0x9E3779B97F4A7C15L + lo;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return (int) h & mask;
  }

  private void insert(int slot, long hi, int lo) {
    int mask = table.length - 1;
    int b = bucket(hi, lo, mask);
    while (table[b] != 0) {
      b = (b + 1) & mask;
    }
    table[b] = slot + 1;
  }

  /** Empties bucket {@code b} and moves later entries of its probe run back (Knuth's algorithm R). */
  private void deleteBucket(int b) {
    int mask = table.length - 1;
    int hole = b;
    int next = (b + 1) & mask;
    while (table[next] != 0) {
      int slot = table[next] - 1;
      int home = bucket(high.get(slot), low.get(slot), mask);
      // Move it into the hole unless its home lies cyclically in (hole, next].
      boolean stays = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next);
      if (!stays) {
        table[hole] = table[next];
        hole = next;
      }
      next = (next + 1) & mask;
    }
    table[hole] = 0;
  }

  private void rehash(int capacity) {
    table = new int[capacity];
    for (int slot = 0; slot < slotsUsed; slot++) {
      if (low.get(slot) != FREE) {
        insert(slot, high.get(slot), low.get(slot));
      }
    }
  }
}
