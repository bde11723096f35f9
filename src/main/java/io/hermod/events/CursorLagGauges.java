package io.hermod.events;

import io.hermod.metrics.HermodMetrics;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One {@code hermod_events_cursor_lag{cursor}} gauge per cursor (their number is bounded by
 * events.journal.maxCursors), removed with the cursor.
 */
final class CursorLagGauges {

  private final HermodMetrics metrics;
  private final LongSupplier lastSeq;
  private final Map<String, Runnable> removers = new HashMap<>();

  CursorLagGauges(HermodMetrics metrics, LongSupplier lastSeq) {
    this.metrics = metrics;
    this.lastSeq = lastSeq;
  }

  /** {@code position} reads the cursor's current seq (or -1 once it is gone). */
  synchronized void add(String name, LongSupplier position) {
    removers.computeIfAbsent(name, n -> metrics.cursorLag(n, () -> Math.max(0, lastSeq.getAsLong()
        - Math.max(0, position.getAsLong()))));
  }

  synchronized void remove(String name) {
    Runnable remover = removers.remove(name);
    if (remover != null) {
      remover.run();
    }
  }

  synchronized void removeAll() {
    removers.values().forEach(Runnable::run);
    removers.clear();
  }
}
