package io.hermod.egress;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A pool ("delivery.pools"): a weighted set of sources. A source of weight 3 carries three times the jobs of
 * one of weight 1 (smooth weighted round robin, {@link EgressSelector}).
 *
 * @param name    the pool's name: 1-32 of a-z, 0-9, _ and -
 * @param weights source name to weight (1..10000), in configuration order; not empty
 */
public record EgressPool(String name, Map<String, Integer> weights) {

  public static final int MAX_WEIGHT = 10_000;

  public EgressPool {
    EgressNames.check("pool", name);
    if (weights.isEmpty()) {
      throw new IllegalArgumentException("pool " + name + " has no source");
    }
    weights.forEach((source, weight) -> {
      EgressNames.check("source", source);
      if (weight == null || weight < 1 || weight > MAX_WEIGHT) {
        throw new IllegalArgumentException("weight of " + source + " in pool " + name + " must be 1.." + MAX_WEIGHT);
      }
    });
    weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
  }
}
