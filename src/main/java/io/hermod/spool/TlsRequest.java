package io.hermod.spool;

/**
 * What the sender of a message asked of the TLS on its way (RFC 8689), kept in the envelope so that every
 * delivery attempt and every next hop honours it.
 */
public enum TlsRequest {
  /** Nothing asked: the destination's TLS policy applies. */
  DEFAULT,
  /**
   * MAIL FROM's REQUIRETLS (RFC 8689 §2, §4.2.1): relay only over TLS whose next hop was authenticated by DANE or
   * MTA-STS (or a verify/dane-only policy of our own configuration), to a server that offers REQUIRETLS again.
   */
  REQUIRETLS,
  /**
   * The header field {@code TLS-Required: No} (RFC 8689 §3, §4.2.2) without REQUIRETLS: deliver even when the recipient
   * domain's MTA-STS or DANE policy cannot be met (still opportunistic STARTTLS).
   */
  NOT_REQUIRED;

  /**
   * @param requireTls          MAIL FROM's REQUIRETLS (or a bus submission's "requireTls")
   * @param tlsNotRequiredField the header section has {@code TLS-Required: No}
   * @return REQUIRETLS wins (RFC 8689 §4.1: the message is tagged); the header field applies only without it (§4.2.2)
   */
  public static TlsRequest of(boolean requireTls, boolean tlsNotRequiredField) {
    return requireTls ? REQUIRETLS : tlsNotRequiredField ? NOT_REQUIRED : DEFAULT;
  }
}
