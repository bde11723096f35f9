package io.hermod.config;

import io.hermod.tlspolicy.TlsLevel;

/** Reads and checks the "outboundTls" section (docs/config.md, docs/security.md "Outbound TLS"). */
final class OutboundTlsSection {

  private OutboundTlsSection() {
  }

  static OutboundTlsConfig bind(JsonSection s) {
    String keyword = s.string("level");
    TlsLevel level = TlsLevel.ofKeyword(keyword);
    if (level == null) {
      throw ConfigException.bad(s.key("level"), "must be none, may, encrypt, verify, dane or dane-only", keyword);
    }
    return new OutboundTlsConfig(level, mtaSts(s.section("mtaSts")), dane(s.section("dane")),
        tlsRpt(s.section("tlsRpt")), OutboundTlsPolicies.policies(s), OutboundTlsPolicies.caFile(s),
        OutboundTlsPolicies.protocols(s), OutboundTlsPolicies.ciphers(s));
  }

  private static MtaStsConfig mtaSts(JsonSection s) {
    return new MtaStsConfig(s.bool("enabled"), s.optionalString("caFile"), s.intIn("policyPort", 1, 65535),
        s.intIn("fetchTimeoutMillis", 100, 300_000), s.intIn("maxPolicyBytes", 1024, 1 << 20),
        s.intIn("cacheSize", 1, 10_000_000), s.intIn("maxConcurrentFetches", 1, 10_000),
        s.intIn("refreshSeconds", 1, 86_400));
  }

  private static DaneConfig dane(JsonSection s) {
    return new DaneConfig(s.bool("enabled"), s.optionalString("trustAnchorFile"), s.bool("trustAdBit"),
        s.intIn("cacheSize", 1, 10_000_000));
  }

  private static TlsRptConfig tlsRpt(JsonSection s) {
    String from = s.optionalString("from");
    if (from != null && !from.matches("[^@\\s<>]+@[^@\\s<>]+")) {
      throw ConfigException.bad(s.key("from"), "must be a mail address (local@domain)", from);
    }
    return new TlsRptConfig(s.bool("enabled"), s.intIn("intervalSeconds", 1, 7 * 86_400),
        s.optionalString("organizationName"), s.optionalString("contactInfo"), s.optionalString("submitter"), from,
        s.intIn("maxPolicies", 1, 10_000_000));
  }
}
