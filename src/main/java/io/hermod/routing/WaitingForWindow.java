package io.hermod.routing;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Messages triggered (committed, or due again early) while the active window was full, oldest first: the
 * router takes them as slots free instead of waiting for its next spool scan, and their count is the backlog
 * flow control follows ({@link RouterVerticle#dueWaiting()}). A stand-in for the queue index's READY state
 * (io.hermod.queue.QueueIndex) until the router takes due mail from it. Bounded: beyond {@code capacity} ids
 * are left to the scan, as every trigger was before, and the count stays at the bound. A message removed while
 * it waits (an operator's delete) is counted until its turn comes, when its load fails and it is let go.
 *
 * <p>Changed only on the router's context; {@link #size()} may be read from any thread.
 */
final class WaitingForWindow {

  private final Set<String> ids = new LinkedHashSet<>();
  private final int capacity;
  private volatile int size;

  WaitingForWindow(int capacity) {
    this.capacity = capacity;
  }

  void add(String id) {
    if (ids.size() < capacity && ids.add(id)) {
      size = ids.size();
    }
  }

  void remove(String id) {
    if (ids.remove(id)) {
      size = ids.size();
    }
  }

  /** The oldest waiting id, no longer waiting; null when none waits. */
  String poll() {
    Iterator<String> it = ids.iterator();
    if (!it.hasNext()) {
      return null;
    }
    String id = it.next();
    it.remove();
    size = ids.size();
    return id;
  }

  int size() {
    return size;
  }
}
