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
    return new MtaStsConfig(s.bool("enabled"));
  }

  private static DaneConfig dane(JsonSection s) {
    return new DaneConfig(s.bool("enabled"), s.optionalString("trustAnchorFile"), s.bool("trustAdBit"),
        s.intIn("cacheSize", 1, 10_000_000));
  }

  private static TlsRptConfig tlsRpt(JsonSection s) {
    return new TlsRptConfig(s.bool("enabled"));
  }
}
