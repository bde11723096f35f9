package io.hermod.tlspolicy;

import java.security.cert.X509Certificate;

/**
 * Checks the certificate chain an MX host presented in the TLS handshake against the host's policy: PKIX and
 * the host name for {@code verify} (and MTA-STS), TLSA matching for DANE (RFC 7672 §3). Pure: no I/O.
 */
public interface PeerCheck {

  /** Accepts any certificate ({@code may}, {@code encrypt}). */
  PeerCheck ANY = (policy, mxHost, chain) -> null;

  /**
   * Null when {@code chain} (leaf first, as presented) satisfies {@code policy} for {@code mxHost}; else why not
   * (the TLS-RPT result type; the delivery defers the recipients with 4.7.5 unless the policy is report-only).
   */
  TlsResultType check(HostTlsPolicy policy, String mxHost, X509Certificate[] chain);
}
