package io.hermod.compact;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The most recently put entries, bounded by their number and their total weight: a put past either bound drops
 * the oldest entries first, so a backlog of old entries gives way to new ones. A value heavier than the weight
 * bound on its own is not held. For the spool's in-memory shortcuts (the router's recent envelopes, delivery's
 * recent bytes), where what is missing is read from disk. Not thread-safe: its owner locks.
 *
 * @param <V> the values, keyed by queue id
 */
public final class RecentMap<V> {

  private final int maxEntries;
  private final long maxWeight;
  private final ToLongFunction<V> weigher;
  private final LinkedHashMap<String, V> entries = new LinkedHashMap<>();
  private long weight;

  /**
   * @param maxEntries most entries held
   * @param maxWeight  most total weight held
   * @param weigher    a value's weight (recipients, bytes); must not change while the value is held
   */
  public RecentMap(int maxEntries, long maxWeight, ToLongFunction<V> weigher) {
    this.maxEntries = maxEntries;
    this.maxWeight = maxWeight;
    this.weigher = weigher;
  }

  /**
   * Holds {@code value} as the newest entry of {@code key}, in place of any older one, then drops the oldest
   * while over a bound. A value heavier than the weight bound only drops the older one.
   *
   * @return whether {@code value} is held
   */
  public boolean put(String key, V value) {
    remove(key);
    long w = weigher.applyAsLong(value);
    if (w > maxWeight) {
      return false;
    }
    entries.put(key, value);
    weight += w;
    Iterator<V> oldest = entries.values().iterator();
    while (entries.size() > maxEntries || weight > maxWeight) {
      weight -= weigher.applyAsLong(oldest.next());
      oldest.remove();
    }
    return true;
  }

  /** The value of {@code key}, or null. */
  public V get(String key) {
    return entries.get(key);
  }

  /** Removes and returns the value of {@code key}, or null. */
  public V remove(String key) {
    V gone = entries.remove(key);
    if (gone != null) {
      weight -= weigher.applyAsLong(gone);
    }
    return gone;
  }

  /** Entries held now. */
  public int size() {
    return entries.size();
  }

  /** Their total weight. */
  public long weight() {
    return weight;
  }

  /** The keys, oldest first (a copy: for tests and diagnostics). */
  public List<String> keys() {
    return List.copyOf(entries.keySet());
  }
}
