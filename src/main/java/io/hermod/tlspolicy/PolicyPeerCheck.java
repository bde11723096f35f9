package io.hermod.tlspolicy;

import java.security.cert.X509Certificate;

/**
 * The delivery client's {@link PeerCheck}: by the policy's level, nothing ({@code none}, {@code may},
 * {@code encrypt}), PKIX and the MX host name ({@code verify}, MTA-STS), or the DANE check ({@code dane} with
 * TLSA records, {@code dane-only}; h/dane's TLSA matcher, {@link PeerCheck#ANY} until it is plugged in).
 */
public final class PolicyPeerCheck implements PeerCheck {

  private final PkixCheck pkix;
  private final PeerCheck dane;

  public PolicyPeerCheck(PkixCheck pkix, PeerCheck dane) {
    this.pkix = pkix;
    this.dane = dane;
  }

  @Override
  public TlsResultType check(HostTlsPolicy policy, String mxHost, X509Certificate[] chain) {
    switch (policy.level()) {
      case VERIFY:
        return pkix.check(chain, mxHost);
      case DANE:
        return policy.tlsa().isEmpty() ? null : dane.check(policy, mxHost, chain);
      case DANE_ONLY:
        return policy.tlsa().isEmpty() ? TlsResultType.DANE_REQUIRED : dane.check(policy, mxHost, chain);
      default:
        return null;
    }
  }
}
