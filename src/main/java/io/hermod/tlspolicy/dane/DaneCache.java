package io.hermod.tlspolicy.dane;

import io.hermod.tlspolicy.DaneAnswer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * DANE answers per (MX host, port), each kept for its TTL; at most {@code maxEntries}, the least recently used
 * going first. Thread-safe.
 */
final class DaneCache {

  private record Entry(DaneAnswer answer, long expiresNanos) {
  }

  private final int maxEntries;
  private final LongSupplier nanoTime;
  private final LinkedHashMap<String, Entry> entries;

  DaneCache(int maxEntries, LongSupplier nanoTime) {
    this.maxEntries = maxEntries;
    this.nanoTime = nanoTime;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > DaneCache.this.maxEntries;
      }
    };
  }

  /** The answer for {@code key} if it has not expired, else null. */
  synchronized DaneAnswer get(String key) {
    Entry e = entries.get(key);
    if (e == null) {
      return null;
    }
    if (nanoTime.getAsLong() - e.expiresNanos >= 0) {
      entries.remove(key);
      return null;
    }
    return e.answer;
  }

  /** Keeps {@code answer} for {@code ttlSeconds}; a TTL of 0 keeps nothing. */
  synchronized void put(String key, DaneAnswer answer, long ttlSeconds) {
    if (ttlSeconds <= 0) {
      return;
    }
    entries.put(key, new Entry(answer, nanoTime.getAsLong() + TimeUnit.SECONDS.toNanos(ttlSeconds)));
  }

  synchronized int size() {
    return entries.size();
  }
}
