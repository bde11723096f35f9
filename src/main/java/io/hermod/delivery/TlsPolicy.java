package io.hermod.delivery;

/**
 * The client's default use of STARTTLS (RFC 3207) for a host whose job brings no TLS policy of its own (tests,
 * embedding, a job from an older router); the router's per-host {@link io.hermod.tlspolicy.HostTlsPolicy} is
 * what production jobs carry (docs/security.md "Outbound TLS").
 */
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
