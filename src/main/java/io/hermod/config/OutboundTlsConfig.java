package io.hermod.config;

import io.hermod.tlspolicy.TlsLevel;

/**
 * Outbound transport security ("outboundTls", docs/security.md "Outbound TLS").
 *
 * @param level   the TLS level of a destination without a policy of its own ("outboundTls.level")
 * @param mtaSts  MTA-STS, RFC 8461 ("outboundTls.mtaSts")
 * @param dane    DANE for SMTP, RFC 7672 ("outboundTls.dane")
 * @param tlsRpt  TLS reporting, RFC 8460 ("outboundTls.tlsRpt")
 */
public record OutboundTlsConfig(TlsLevel level, MtaStsConfig mtaSts, DaneConfig dane, TlsRptConfig tlsRpt) {

  /** Today's behaviour: opportunistic STARTTLS, no MTA-STS, DANE or TLS-RPT. */
  public static final OutboundTlsConfig OPPORTUNISTIC = new OutboundTlsConfig(TlsLevel.MAY,
      MtaStsConfig.disabled(), new DaneConfig(false), TlsRptConfig.disabled());
}
