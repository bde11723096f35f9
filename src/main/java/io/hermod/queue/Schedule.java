package io.hermod.queue;

import io.hermod.compact.IntColumn;

import java.util.Map;
import java.util.TreeMap;

/**
 * Slots ordered by an int time: a sorted map of the distinct times, each a doubly linked list of its slots
 * threaded through {@code next}/{@code prev} columns indexed by slot. The index keeps one of these by next
 * attempt (the schedule) and one per site by arrival (the WAITING messages); they share the link columns,
 * since a slot is in at most one of them. Removal is O(1) once the time's list is found (no stale entries to
 * skip later), and a time costs one map entry however many messages share it, so a storm of deferrals due
 * in the same few thousand seconds is cheap. Not thread-safe.
 */
final class Schedule {

  static final int NONE = -1;
  /** TreeMap entry, boxed key and the list header: the cost of one distinct time. */
  private static final long TIME_BYTES = 40 + 16 + 24;

  private static final class List {
    int head = NONE;
    int tail = NONE;
    int count;
  }

  private final IntColumn next;
  private final IntColumn prev;
  private final TreeMap<Integer, List> times = new TreeMap<>();
  private int size;

  Schedule(IntColumn next, IntColumn prev) {
    this.next = next;
    this.prev = prev;
  }

  /** Appends {@code slot} at {@code time} (after the slots already there: first in, first out). */
  void add(int slot, int time) {
    List list = times.computeIfAbsent(time, t -> new List());
    prev.set(slot, list.tail);
    next.set(slot, NONE);
    if (list.tail == NONE) {
      list.head = slot;
    } else {
      next.set(list.tail, slot);
    }
    list.tail = slot;
    list.count++;
    size++;
  }

  /** Removes {@code slot}, which must have been added at {@code time}. */
  void remove(int slot, int time) {
    List list = times.get(time);
    if (list == null) {
      throw new IllegalStateException("slot " + slot + " is not scheduled at " + time);
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
      times.remove(time);
    }
    size--;
  }

  /** The first slot of the earliest time if that time is at most {@code limit}, else {@link #NONE}. */
  int firstUpTo(int limit) {
    Map.Entry<Integer, List> first = times.firstEntry();
    return first == null || first.getKey() > limit ? NONE : first.getValue().head;
  }

  /** The earliest time; only when not empty. */
  int firstTime() {
    return times.firstKey();
  }

  /** How many slots are at or before {@code limit}: a walk of the distinct times due, not of the slots. */
  long countUpTo(int limit) {
    long n = 0;
    for (List list : times.headMap(limit, true).values()) {
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

  /** The map of times (the link columns belong to the caller). */
  long memoryBytes() {
    return 48 + times.size() * TIME_BYTES;
  }
}
