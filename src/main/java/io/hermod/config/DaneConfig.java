package io.hermod.config;

/**
 * DANE for SMTP, RFC 7672 ("outboundTls.dane", docs/security.md "DANE").
 *
 * @param enabled         look up TLSA records of MX hosts through a DNSSEC-validating resolver
 *                        ("outboundTls.dane.enabled")
 * @param trustAnchorFile DS or DNSKEY records in zone-file format that DNSSEC validation starts from; null = the
 *                        root zone's KSK-2017 and KSK-2024 built in ("outboundTls.dane.trustAnchorFile")
 * @param trustAdBit      do not validate: trust the AD bit of the configured resolvers (dns.resolvers), which
 *                        must validate and be reached over a trusted path ("outboundTls.dane.trustAdBit")
 * @param cacheSize       how many MX hosts' DANE answers are kept, each for its records' TTL
 *                        ("outboundTls.dane.cacheSize")
 */
public record DaneConfig(boolean enabled, String trustAnchorFile, boolean trustAdBit, int cacheSize) {

  public static final int DEFAULT_CACHE_SIZE = 10_000;

  /** DANE on or off with the defaults of the other keys. */
  public DaneConfig(boolean enabled) {
    this(enabled, null, false, DEFAULT_CACHE_SIZE);
  }
}
