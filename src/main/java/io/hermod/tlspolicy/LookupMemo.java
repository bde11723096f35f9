package io.hermod.tlspolicy;

import io.vertx.core.Future;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A small memo of lookups by key: one lookup in flight per key however many messages ask, its result kept for
 * {@code ttlMillis} (the sources keep the records for their own TTLs; this only stops the router from asking
 * them once per message), at most {@code maxEntries} keys (least recently used go first). A failed lookup is
 * forgotten at once, so the next message asks again. Not thread-safe: the router's context only.
 */
final class LookupMemo<T> {

  private record Entry<T>(Future<T> result, long at) {
  }

  private final long ttlMillis;
  private final int maxEntries;
  private final LongSupplier clock;
  private final Map<String, Entry<T>> entries;

  LookupMemo(long ttlMillis, int maxEntries, LongSupplier clockMillis) {
    this.ttlMillis = ttlMillis;
    this.maxEntries = maxEntries;
    this.clock = clockMillis;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry<T>> eldest) {
        return size() > LookupMemo.this.maxEntries;
      }
    };
  }

  Future<T> get(String key, Function<String, Future<T>> lookup) {
    long now = clock.getAsLong();
    Entry<T> e = entries.get(key);
    if (e != null && (!e.result().isComplete() || now - e.at() < ttlMillis)) {
      return e.result();
    }
    Future<T> result = lookup.apply(key);
    Entry<T> fresh = new Entry<>(result, now);
    entries.put(key, fresh);
    result.onFailure(t -> entries.remove(key, fresh));
    return result;
  }

  int size() {
    return entries.size();
  }
}
