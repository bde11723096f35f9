package io.hermod.config;

import io.hermod.tlspolicy.TlsLevel;
import io.hermod.tlspolicy.TlsPolicyMap;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The per-destination levels and the TLS parameters of "outboundTls" (docs/config.md, docs/security.md
 * "Outbound TLS"): outboundTls.policies, caFile, protocols, ciphers.
 */
final class OutboundTlsPolicies {

  /** The versions the JDK's TLS client speaks; SSLv3 and older are refused outright. */
  static final Set<String> PROTOCOLS = Set.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
  // A domain (optionally with a leading dot for its subdomains) or a next hop as routes name it.
  private static final Pattern KEY = Pattern.compile(
      "\\.?[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\\.?(:[0-9]{1,5})?"
          + "|\\[[^\\]\\s]+\\](:[0-9]{1,5})?");

  private OutboundTlsPolicies() {
  }

  static TlsPolicyMap policies(JsonSection s) {
    JsonObject map = s.map("policies");
    Map<String, TlsLevel> levels = new LinkedHashMap<>();
    for (String key : map.fieldNames()) {
      if (!KEY.matcher(key).matches()) {
        throw ConfigException.bad(s.key("policies") + "." + key,
            "must be a domain, .domain (its subdomains) or a next hop [host]:port", key);
      }
      Object v = map.getValue(key);
      TlsLevel level = v instanceof String text ? TlsLevel.ofKeyword(text.trim()) : null;
      if (level == null) {
        throw ConfigException.bad(s.key("policies") + "." + key,
            "must be none, may, encrypt, verify, dane or dane-only", v);
      }
      levels.put(key, level);
    }
    return new TlsPolicyMap(levels);
  }

  /** Null when unset: the JDK's trust store. The file itself is read at start (a bad one stops the start). */
  static String caFile(JsonSection s) {
    return s.optionalString("caFile");
  }

  static List<String> protocols(JsonSection s) {
    List<String> out = strings(s, "protocols");
    if (out.isEmpty()) {
      throw ConfigException.bad(s.key("protocols"), "must name at least one of " + new java.util.TreeSet<>(PROTOCOLS),
          out);
    }
    for (String p : out) {
      if (!PROTOCOLS.contains(p)) {
        throw ConfigException.bad(s.key("protocols"), "must be among " + new java.util.TreeSet<>(PROTOCOLS), p);
      }
    }
    return out;
  }

  /** Each must be a suite the JDK supports (a typo would otherwise fail every handshake at run time). */
  static List<String> ciphers(JsonSection s) {
    List<String> out = strings(s, "ciphers");
    Set<String> supported = supportedCiphers();
    for (String c : out) {
      if (!supported.contains(c)) {
        throw ConfigException.bad(s.key("ciphers"), "must be cipher suites this JDK supports (e.g. "
            + "TLS_AES_128_GCM_SHA256)", c);
      }
    }
    return out;
  }

  private static Set<String> supportedCiphers() {
    try {
      return Set.of(javax.net.ssl.SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
    } catch (java.security.NoSuchAlgorithmException e) {
      return Set.of();
    }
  }

  private static List<String> strings(JsonSection s, String name) {
    List<String> out = new ArrayList<>();
    for (Object o : s.array(name)) {
      if (!(o instanceof String text) || text.isBlank()) {
        throw ConfigException.bad(s.key(name), "must be a list of non-empty strings", o);
      }
      out.add(text.trim());
    }
    return out;
  }
}
