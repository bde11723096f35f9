package io.hermod.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Failed AUTH attempts per client IP within a window, for brute-force throttling. Bounded: at most
 * {@code maxEntries} addresses are tracked, the least recently seen dropped first (an attacker spreading
 * over more addresses than that only makes us forget the oldest). Shared by every listener: synchronized.
 */
public final class FailureCounter {

  private final int maxFailures;
  private final long windowMillis;
  private final LongSupplier clockMillis;
  private final Map<String, Window> byIp;

  public FailureCounter(int maxFailures, long windowMillis, int maxEntries, LongSupplier clockMillis) {
    this.maxFailures = maxFailures;
    this.windowMillis = windowMillis;
    this.clockMillis = clockMillis;
    this.byIp = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
        return size() > maxEntries;
      }
    };
  }

  /** Failures of one address since {@code start}; the window starts at the first failure. */
  private static final class Window {
    long start;
    int failures;
  }

  /** True when {@code ip} has used up its failures within the window: AUTH is refused (454 4.7.0). */
  public synchronized boolean blocked(String ip) {
    Window w = current(ip);
    return w != null && w.failures >= maxFailures;
  }

  /** Counts one failure; true when that used up the last one (the session is closed with 421). */
  public synchronized boolean recordFailure(String ip) {
    Window w = current(ip);
    if (w == null) {
      w = new Window();
      w.start = clockMillis.getAsLong();
      byIp.put(ip, w);
    }
    w.failures++;
    return w.failures >= maxFailures;
  }

  synchronized int tracked() {
    return byIp.size();
  }

  /** The address's window, or null (dropping it) when there is none or it has expired. */
  private Window current(String ip) {
    Window w = byIp.get(ip);
    if (w != null && clockMillis.getAsLong() - w.start >= windowMillis) {
      byIp.remove(ip);
      return null;
    }
    return w;
  }
}
