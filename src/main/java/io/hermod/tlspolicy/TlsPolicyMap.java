package io.hermod.tlspolicy;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Per-destination TLS levels from the configuration ("outboundTls.policies", Postfix's smtp_tls_policy_maps).
 * Keys are recipient domains ("example.com"), a parent domain with a leading dot for all its subdomains
 * (".example.com": "a.example.com", "b.a.example.com", not "example.com" itself), or a configured next hop as
 * a route names it ("[smtp.relay.test]:587", "relay.test:25"). Deliberately not sites or providers: a site
 * is derived from the MX host set, which comes from unauthenticated DNS, so a policy keyed by it could be
 * escaped by whoever forges the MX answer; the recipient domain comes from the envelope.
 */
public final class TlsPolicyMap {

  public static final TlsPolicyMap EMPTY = new TlsPolicyMap(Map.of());

  private final Map<String, TlsLevel> levels;

  /** @param levels key → level; keys are matched case-insensitively, without a trailing dot */
  public TlsPolicyMap(Map<String, TlsLevel> levels) {
    Map<String, TlsLevel> normal = new LinkedHashMap<>();
    levels.forEach((k, v) -> normal.put(normalise(k), v));
    this.levels = Map.copyOf(normal);
  }

  /**
   * The level for {@code destination} (a domain or a next hop): an exact entry first, then the closest
   * ".parent" entry; null when none applies.
   */
  public TlsLevel lookup(String destination) {
    String d = normalise(destination);
    TlsLevel exact = levels.get(d);
    if (exact != null || d.startsWith("[")) {
      return exact;
    }
    for (int dot = d.indexOf('.'); dot >= 0; dot = d.indexOf('.', dot + 1)) {
      TlsLevel parent = levels.get(d.substring(dot));
      if (parent != null) {
        return parent;
      }
    }
    return null;
  }

  public Map<String, TlsLevel> entries() {
    return levels;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TlsPolicyMap m && m.levels.equals(levels);
  }

  @Override
  public int hashCode() {
    return levels.hashCode();
  }

  @Override
  public String toString() {
    return levels.toString();
  }

  /** Lower case, no trailing dot: "Example.COM." and "example.com" are one key. */
  public static String normalise(String key) {
    String k = key.trim().toLowerCase(Locale.ROOT);
    return k.endsWith(".") && k.length() > 1 ? k.substring(0, k.length() - 1) : k;
  }
}
