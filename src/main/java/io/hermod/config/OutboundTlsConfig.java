package io.hermod.config;

import io.hermod.tlspolicy.TlsLevel;
import io.hermod.tlspolicy.TlsPolicyMap;

import java.util.List;

/**
 * Outbound transport security ("outboundTls", docs/security.md "Outbound TLS").
 *
 * @param level   the TLS level of a destination without a policy of its own ("outboundTls.level")
 * @param mtaSts  MTA-STS, RFC 8461 ("outboundTls.mtaSts")
 * @param dane    DANE for SMTP, RFC 7672 ("outboundTls.dane")
 * @param tlsRpt  TLS reporting, RFC 8460 ("outboundTls.tlsRpt")
 * @param policies  per-destination levels ("outboundTls.policies", {@link TlsPolicyMap})
 * @param caFile    PEM bundle of the CAs verify trusts instead of the JDK's ("outboundTls.caFile"), or null
 * @param protocols TLS versions offered ("outboundTls.protocols")
 * @param ciphers   cipher suites offered, empty = the JDK's defaults ("outboundTls.ciphers")
 */
public record OutboundTlsConfig(TlsLevel level, MtaStsConfig mtaSts, DaneConfig dane, TlsRptConfig tlsRpt,
                                TlsPolicyMap policies, String caFile, List<String> protocols, List<String> ciphers) {

  /** Today's behaviour: opportunistic STARTTLS, no MTA-STS, DANE or TLS-RPT. */
  public static final OutboundTlsConfig OPPORTUNISTIC = new OutboundTlsConfig(TlsLevel.MAY,
      MtaStsConfig.disabled(), new DaneConfig(false), TlsRptConfig.disabled(), TlsPolicyMap.EMPTY, null,
      List.of("TLSv1.2", "TLSv1.3"), List.of());

  public OutboundTlsConfig {
    protocols = List.copyOf(protocols);
    ciphers = List.copyOf(ciphers);
  }
}
