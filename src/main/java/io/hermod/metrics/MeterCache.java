package io.hermod.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The meters of one registry, each built on first use and then kept, by name and tag values. Building a meter
 * per call ({@code Counter.builder(...).register(registry)}) costs an id with sorted tags, a registry lookup
 * under its lock and Micrometer's double-registration check: per command and per recipient, that showed in the
 * issue #17 profile. Tags come from small fixed sets (HermodMetrics), so the map stays as small as the series.
 *
 * <p>Meters are still registered lazily, on first use, so what a scrape shows is unchanged. Thread-safe.
 */
final class MeterCache {

  /**
   * A meter's name and its tag values in order (keys are fixed per name). Hash computed once; names and values
   * are mostly the same constant strings each call, so equals mostly compares references.
   */
  private static final class Key {
    private final String name;
    private final String[] tagValues;
    private final int hash;

    Key(String name, String[] tagValues) {
      this.name = name;
      this.tagValues = tagValues;
      this.hash = 31 * name.hashCode() + Arrays.hashCode(tagValues);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && hash == k.hash && name.equals(k.name) && Arrays.equals(tagValues, k.tagValues);
    }
  }

  private final MeterRegistry registry;
  private final Map<Key, Meter> meters = new ConcurrentHashMap<>();
  /** Meters without tags, by name alone: no key to build per call (the per-message timers and counters). */
  private final Map<String, Meter> untagged = new ConcurrentHashMap<>();

  MeterCache(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The counter {@code name} with {@code tags} as key, value, key, value... */
  Counter counter(String name, String description, String... tags) {
    return meter(name, tags, () -> Counter.builder(name).description(description).tags(tags).register(registry));
  }

  /**
   * The meter {@code name} with {@code tags} (key, value, ...), built by {@code build} the first time. One name
   * must always come with the same tag keys and the same kind of meter.
   */
  @SuppressWarnings("unchecked")
  <M extends Meter> M meter(String name, String[] tags, Supplier<M> build) {
    if (tags.length == 0) {
      Meter known = untagged.get(name);
      return (M) (known != null ? known : untagged.computeIfAbsent(name, n -> build.get()));
    }
    Key key = new Key(name, tagValues(tags));
    Meter known = meters.get(key);
    if (known == null) {
      known = meters.computeIfAbsent(key, k -> build.get());
    }
    return (M) known;
  }

  private static String[] tagValues(String[] tags) {
    String[] values = new String[tags.length / 2];
    for (int i = 1; i < tags.length; i += 2) {
      values[i / 2] = tags[i];
    }
    return values;
  }
}
