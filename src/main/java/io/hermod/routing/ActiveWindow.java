package io.hermod.routing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ids of the messages the router is working on (Postfix's active queue): bounded, so memory never
 * holds more than {@code capacity} messages however large the spool grows. A message that does not fit
 * stays scheduled in the queue index (io.hermod.queue), which hands it over once a slot is free.
 */
final class ActiveWindow {

  private final int capacity;
  // Changed only on the router's context; concurrent so that the admin API may ask contains() from its own.
  private final Set<String> active = ConcurrentHashMap.newKeySet();

  ActiveWindow(int capacity) {
    this.capacity = capacity;
  }

  /** Takes a slot for {@code id}; false if it is already active (duplicate trigger) or the window is full. */
  boolean tryAdmit(String id) {
    return active.size() < capacity && active.add(id);
  }

  void release(String id) {
    active.remove(id);
  }

  boolean contains(String id) {
    return active.contains(id);
  }

  boolean full() {
    return active.size() >= capacity;
  }

  /** Slots free now. */
  int room() {
    return Math.max(0, capacity - active.size());
  }

  int size() {
    return active.size();
  }
}
