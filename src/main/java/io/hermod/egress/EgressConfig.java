package io.hermod.egress;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sources, pools and how mail picks its pool (the "delivery" keys sources, pools, poolSelection and
 * defaultPool; docs/config.md, docs/delivery.md "Sources and pools"). Validated by io.hermod.config: every
 * pool's sources exist, every pool named in the selection and {@code defaultPool} exists.
 *
 * @param sources            source name to source, in configuration order
 * @param pools              pool name to pool, in configuration order
 * @param poolByUser         an authenticated user's name (as in the user file, case-sensitive) to a pool
 * @param poolBySenderDomain a sender (MAIL FROM) domain, lower case, to a pool
 * @param defaultPool        the pool of all other mail, or null: then it goes out from the default source
 *                           (the system's choice of local address, EHLO = hostname), as without pools
 */
public record EgressConfig(Map<String, EgressSource> sources, Map<String, EgressPool> pools,
                           Map<String, String> poolByUser, Map<String, String> poolBySenderDomain,
                           String defaultPool) {

  /** No sources, no pools: every message goes out from the default source. */
  public static final EgressConfig NONE = new EgressConfig(Map.of(), Map.of(), Map.of(), Map.of(), null);

  public EgressConfig {
    sources = copy(sources);
    pools = copy(pools);
    poolByUser = copy(poolByUser);
    poolBySenderDomain = copy(poolBySenderDomain);
  }

  /** Whether {@code pool} is configured (a hermod.submit request may only name one of these). */
  public boolean hasPool(String pool) {
    return pool != null && pools.containsKey(pool);
  }

  private static <V> Map<String, V> copy(Map<String, V> m) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }
}
