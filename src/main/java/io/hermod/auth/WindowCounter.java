package io.hermod.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Events per key (a client IP address) within a fixed window that starts at the key's first event, for
 * abuse limits: failed AUTH attempts ({@link FailureCounter}) and connections per address (the listener's
 * connection rate). Bounded: at most {@code maxEntries} keys are tracked, the least recently seen dropped
 * first, so a flood of distinct addresses costs a fixed amount of memory and only makes us forget the oldest.
 * Shared by every listener instance (several event loops): synchronized.
 */
public final class WindowCounter {

  private final long windowMillis;
  private final LongSupplier clockMillis;
  private final Map<String, Window> byKey;

  public WindowCounter(long windowMillis, int maxEntries, LongSupplier clockMillis) {
    this.windowMillis = windowMillis;
    this.clockMillis = clockMillis;
    this.byKey = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
        return size() > maxEntries;
      }
    };
  }

  /** Events of one key since {@code start}. */
  private static final class Window {
    long start;
    int count;
  }

  /** The events counted for {@code key} in its current window (0 when none or the window is over). */
  public synchronized int count(String key) {
    Window w = current(key);
    return w == null ? 0 : w.count;
  }

  /** Counts one event for {@code key} (starting a window if it has none); returns its count in the window. */
  public synchronized int increment(String key) {
    Window w = current(key);
    if (w == null) {
      w = new Window();
      w.start = clockMillis.getAsLong();
      byKey.put(key, w);
    }
    if (w.count < Integer.MAX_VALUE) {
      w.count++;
    }
    return w.count;
  }

  /** How many keys are tracked now (at most maxEntries). */
  public synchronized int tracked() {
    return byKey.size();
  }

  /** The key's window, or null (dropping it) when there is none or it has expired. */
  private Window current(String key) {
    Window w = byKey.get(key);
    if (w != null && clockMillis.getAsLong() - w.start >= windowMillis) {
      byKey.remove(key);
      return null;
    }
    return w;
  }
}
