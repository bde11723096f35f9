package io.hermod.config;

import io.hermod.egress.EgressConfig;
import io.hermod.egress.EgressPool;
import io.hermod.egress.EgressSource;
import io.vertx.core.json.JsonObject;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads and checks the egress keys of the "delivery" section: {@code sources}, {@code pools},
 * {@code poolSelection.users}, {@code poolSelection.senderDomains} and {@code defaultPool} (docs/config.md,
 * docs/delivery.md "Sources and pools"). Every name a pool or a selection uses must be defined.
 */
final class EgressSection {

  private static final Set<String> SOURCE_KEYS = Set.of("address", "ehlo");
  private static final String NAME = "[a-z0-9_-]{1,32}";
  private static final String NAME_RULE = "must be a name of 1-32 characters a-z, 0-9, _ and -";

  private EgressSection() {
  }

  static EgressConfig bind(JsonSection delivery) {
    Map<String, EgressSource> sources = sources(delivery);
    Map<String, EgressPool> pools = pools(delivery, sources);
    JsonSection selection = delivery.section("poolSelection");
    Map<String, String> byUser = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : selection.map("users")) {
      String key = selection.key("users") + "." + e.getKey();
      if (e.getKey().isBlank()) {
        throw ConfigException.bad(key, "must be a user name", e.getKey());
      }
      byUser.put(e.getKey(), poolName(key, e.getValue(), pools));
    }
    Map<String, String> byDomain = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : selection.map("senderDomains")) {
      String key = selection.key("senderDomains") + "." + e.getKey();
      String domain = HostNames.domain(e.getKey()).map(d -> d.toLowerCase(Locale.ROOT))
          .orElseThrow(() -> ConfigException.bad(key, "must be a domain name", e.getKey()));
      if (byDomain.put(domain, poolName(key, e.getValue(), pools)) != null) {
        throw ConfigException.bad(key, "domain appears twice (names are case-insensitive)", e.getKey());
      }
    }
    String def = delivery.optionalString("defaultPool");
    return new EgressConfig(sources, pools, byUser, byDomain,
        def == null ? null : poolName(delivery.key("defaultPool"), def, pools));
  }

  private static Map<String, EgressSource> sources(JsonSection delivery) {
    Map<String, EgressSource> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : delivery.map("sources")) {
      String key = delivery.key("sources") + "." + e.getKey();
      if (!e.getKey().matches(NAME)) {
        throw ConfigException.bad(key, NAME_RULE, e.getKey());
      }
      if (!(e.getValue() instanceof JsonObject o)) {
        throw ConfigException.bad(key, "must be an object {\"address\": \"192.0.2.1\", \"ehlo\": \"out1.example\"}",
            e.getValue());
      }
      JsonSection s = new JsonSection(o, key);
      s.onlyKeys(SOURCE_KEYS);
      String address = address(s.key("address"), s.string("address"));
      String ehlo = s.optionalString("ehlo");
      if (ehlo != null) {
        String given = ehlo;
        ehlo = HostNames.domain(given)
            .orElseThrow(() -> ConfigException.bad(s.key("ehlo"), "must be a domain name", given));
      }
      out.put(e.getKey(), new EgressSource(e.getKey(), address, ehlo));
    }
    return out;
  }

  /** An IP literal of one local interface: neither a host name (no DNS in the configuration) nor 0.0.0.0/::. */
  private static String address(String key, String text) {
    InetAddress a = HostNames.ipLiteral(text)
        .orElseThrow(() -> ConfigException.bad(key, "must be an IP address (not a host name)", text));
    if (a.isAnyLocalAddress() || a.isMulticastAddress()) {
      throw ConfigException.bad(key, "must be one address of this node, not a wildcard or multicast address", text);
    }
    return a.getHostAddress();
  }

  private static Map<String, EgressPool> pools(JsonSection delivery, Map<String, EgressSource> sources) {
    Map<String, EgressPool> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : delivery.map("pools")) {
      String key = delivery.key("pools") + "." + e.getKey();
      if (!e.getKey().matches(NAME)) {
        throw ConfigException.bad(key, NAME_RULE, e.getKey());
      }
      if (!(e.getValue() instanceof JsonObject o) || o.isEmpty()) {
        throw ConfigException.bad(key, "must be a non-empty object of source name to weight, like {\"ip1\": 1, "
            + "\"ip2\": 3}", e.getValue());
      }
      JsonSection p = new JsonSection(o, key);
      Map<String, Integer> weights = new LinkedHashMap<>();
      for (String source : o.fieldNames()) {
        if (!sources.containsKey(source)) {
          throw new ConfigException(p.key(source), "no such source in delivery.sources");
        }
        weights.put(source, p.intIn(source, 1, EgressPool.MAX_WEIGHT));
      }
      out.put(e.getKey(), new EgressPool(e.getKey(), weights));
    }
    return out;
  }

  private static String poolName(String key, Object value, Map<String, EgressPool> pools) {
    if (!(value instanceof String name) || !pools.containsKey(name)) {
      throw ConfigException.bad(key, "must name a pool of delivery.pools", value);
    }
    return name;
  }
}
