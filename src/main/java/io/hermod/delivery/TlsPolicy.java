package io.hermod.delivery;

/** How the client uses STARTTLS (RFC 3207), named after Postfix's smtp_tls_security_level. */
public enum TlsPolicy {
  /** Never STARTTLS. */
  NONE,
  /**
   * STARTTLS when offered, certificate not verified (RFC 7435 opportunistic security, Postfix "may"); a
   * failed handshake is retried once in plaintext on a new connection.
   */
  OPPORTUNISTIC,
  /** STARTTLS must be offered and succeed (certificate still not verified, Postfix "encrypt"); else fail. */
  REQUIRED
}
