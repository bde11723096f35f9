package io.hermod.queue;

import io.hermod.compact.IntColumn;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;

/**
 * Slots ordered by an int time (seconds), a two-level timer wheel: a sorted map of lists, each a doubly linked
 * list of slots threaded through {@code next}/{@code prev} columns indexed by slot. Times before
 * {@code fineBelow} have a list per second; later ones share a list per {@value #BLOCK}-second block, unsorted,
 * which is split into seconds when it becomes the earliest (each slot moves once). So a distinct time costs a
 * map entry only near the head, and a queue whose messages are due in a hundred thousand different seconds
 * holds a map entry per block, not per message. Removal is O(1) once its list is found (no stale entries).
 *
 * <p>The index keeps one of these by next attempt (the schedule) and one per site by arrival (the WAITING
 * messages); they share the link columns, since a slot is in at most one of them. A slot's time must not
 * change while it is in. Not thread-safe.
 */
final class Schedule {

  static final int NONE = -1;
  /** Seconds a far list spans: a power of two, so a block starts at {@code time & -BLOCK}. */
  static final int BLOCK = 64;
  /** TreeMap entry, boxed key and the list header: the cost of one list. */
  private static final long LIST_BYTES = 40 + 16 + 24;

  private static final class List {
    int head = NONE;
    int tail = NONE;
    int count;
    /** A block's earliest time, or MAX_VALUE when unknown (its earliest slot left): found again when asked. */
    int min = Integer.MAX_VALUE;
  }

  private final IntColumn next;
  private final IntColumn prev;
  private final IntUnaryOperator timeOf;
  /** Keyed by a second below {@link #fineBelow}, by a block's first second at or above it. */
  private final TreeMap<Integer, List> lists = new TreeMap<>();
  /** Only grows (by whole blocks), as blocks are split. */
  private int fineBelow = Integer.MIN_VALUE;
  private int size;

  /** {@code timeOf}: the time of a slot (its column in the index). */
  Schedule(IntColumn next, IntColumn prev, IntUnaryOperator timeOf) {
    this.next = next;
    this.prev = prev;
    this.timeOf = timeOf;
  }

  /** Appends {@code slot} at its time (after the slots already there: first in, first out within a second). */
  void add(int slot) {
    int time = timeOf.applyAsInt(slot);
    List list = lists.computeIfAbsent(key(time), t -> new List());
    prev.set(slot, list.tail);
    next.set(slot, NONE);
    if (list.tail == NONE) {
      list.head = slot;
    } else {
      next.set(list.tail, slot);
    }
    list.tail = slot;
    list.count++;
    if (list.count == 1 || list.min != Integer.MAX_VALUE) {
      list.min = Math.min(list.min, time);
    }
    size++;
  }

  /** Removes {@code slot}, which must be in, at the time it was added with. */
  void remove(int slot) {
    int key = key(timeOf.applyAsInt(slot));
    List list = lists.get(key);
    if (list == null) {
      throw new IllegalStateException("slot " + slot + " is not in list " + key);
    }
    int p = prev.get(slot);
    int n = next.get(slot);
    if (p == NONE) {
      list.head = n;
    } else {
      next.set(p, n);
    }
    if (n == NONE) {
      list.tail = p;
    } else {
      prev.set(n, p);
    }
    if (--list.count == 0) {
      lists.remove(key);
    } else if (timeOf.applyAsInt(slot) == list.min) {
      list.min = Integer.MAX_VALUE;
    }
    size--;
  }

  /** The first slot of the earliest time if that time is at most {@code limit}, else {@link #NONE}. */
  int firstUpTo(int limit) {
    while (!lists.isEmpty()) {
      int first = lists.firstKey();
      if (first > limit) {
        return NONE;
      }
      if (first < fineBelow) {
        return lists.get(first).head;
      }
      split(first);
    }
    return NONE;
  }

  /**
   * The earliest time; only when not empty. A block is not split for it (the earliest block may be days
   * ahead; splitting it would make every time before it a list per second): it knows its earliest time.
   */
  int firstTime() {
    Map.Entry<Integer, List> first = lists.firstEntry();
    if (first.getKey() < fineBelow) {
      return first.getKey();
    }
    List block = first.getValue();
    if (block.min == Integer.MAX_VALUE) {
      for (int slot = block.head; slot != NONE; slot = next.get(slot)) {
        block.min = Math.min(block.min, timeOf.applyAsInt(slot));
      }
    }
    return block.min;
  }

  /**
   * How many slots are at or before {@code limit}: a walk of the lists due, never of their slots. Blocks that
   * start at or before {@code limit} are split first (they are due, so taking them would split them anyway:
   * each slot still moves once). Without that, a count walked every slot of the block spanning {@code limit}
   * (a million messages due in one minute) at each call, and flow control counts a hundred times a second.
   */
  long countUpTo(int limit) {
    Integer block;
    while ((block = lists.ceilingKey(fineBelow)) != null && block <= limit) {
      split(block);
    }
    long n = 0;
    for (List list : lists.headMap(limit, true).values()) {
      n += list.count;
    }
    return n;
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  /** The map of lists (the link columns belong to the caller). */
  long memoryBytes() {
    return 48 + lists.size() * LIST_BYTES;
  }

  private int key(int time) {
    return time < fineBelow ? time : time & -BLOCK;
  }

  /** Turns the earliest block, starting at {@code block}, into a list per second, in the order they were added. */
  private void split(int block) {
    fineBelow = block + BLOCK;
    List list = lists.remove(block);
    size -= list.count;
    for (int slot = list.head; slot != NONE; ) {
      int following = next.get(slot);
      add(slot);
      slot = following;
    }
  }
}
