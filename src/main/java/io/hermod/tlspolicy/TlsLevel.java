package io.hermod.tlspolicy;

import java.util.Locale;

/** What a delivery demands of TLS with one MX host; the names and meanings of Postfix's smtp_tls_security_level. */
public enum TlsLevel {
  /** Never STARTTLS. */
  NONE,
  /** STARTTLS when offered, any certificate; plaintext when not offered or the handshake fails (RFC 7435). */
  MAY,
  /** TLS required, any certificate; never plaintext. */
  ENCRYPT,
  /** TLS required with a PKIX-valid certificate whose name matches the MX host (RFC 6125); MTA-STS enforce. */
  VERIFY,
  /** DANE (RFC 7672) when the MX host has usable TLSA records, else {@code MAY}-like opportunistic TLS. */
  DANE,
  /** DANE required: the MX host must have usable TLSA records and the certificate must match one. */
  DANE_ONLY;

  /** Made once: each delivery's event and log line name the level. */
  private final String keyword = name().toLowerCase(Locale.ROOT).replace('_', '-');

  /** The configuration keyword: "none", "may", "encrypt", "verify", "dane", "dane-only". */
  public String keyword() {
    return keyword;
  }

  /** The level for a configuration keyword, or null when it names none. */
  public static TlsLevel ofKeyword(String keyword) {
    for (TlsLevel level : values()) {
      if (level.keyword().equals(keyword)) {
        return level;
      }
    }
    return null;
  }

  /** True when a delivery at this level must never go out in plaintext. */
  public boolean requiresTls() {
    return this == ENCRYPT || this == VERIFY || this == DANE_ONLY;
  }
}
