package io.hermod.tlspolicy.dane;

import io.hermod.tlspolicy.CertificateNames;
import io.hermod.tlspolicy.HostTlsPolicy;
import io.hermod.tlspolicy.PeerCheck;
import io.hermod.tlspolicy.TlsLevel;
import io.hermod.tlspolicy.TlsResultType;
import io.hermod.tlspolicy.Tlsa;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;

/**
 * The DANE check of the chain an MX host presented (RFC 7672 §3, RFC 7671 §5), against the host's usable TLSA
 * records in its {@link HostTlsPolicy}. Pure: no I/O, the time from the clock.
 *
 * <ul>
 *   <li>DANE-EE(3): the leaf certificate (or its public key) matches the record. Nothing else is checked: not the
 *       name, not the validity dates, not who signed it (RFC 7671 §5.1).</li>
 *   <li>DANE-TA(2): a certificate the server sent after its leaf matches the record (RFC 7671 §5.2: the server must
 *       send the trust anchor), each certificate from the leaf up to it is signed by the next one and within its
 *       validity dates, and the leaf names the MX host ({@link CertificateNames}; §3.2.2-§3.2.3: the MX host name as the
 *       MX record gives it is the reference identifier; CNAME-expanded names and the next-hop domain are not
 *       accepted). A TA given only as
 *       a public key not in the chain is not supported.</li>
 * </ul>
 *
 * <p>Any matching record is enough (RFC 6698 §4.1). Null when the chain passes; else why not, by the first reason
 * found in this order: a DANE-TA match whose chain does not verify ({@code validation-failure}), whose leaf has
 * expired ({@code certificate-expired}) or names another host ({@code certificate-host-mismatch}); no record matches
 * ({@code tlsa-invalid}). A {@code dane-only} policy without usable records is {@code dane-required}.
 */
public final class DanePeerCheck implements PeerCheck {

  private final Clock clock;

  public DanePeerCheck(Clock clock) {
    this.clock = clock;
  }

  @Override
  public TlsResultType check(HostTlsPolicy policy, String mxHost, X509Certificate[] chain) {
    List<Tlsa> records = policy.tlsa();
    if (records.isEmpty()) {
      // RFC 7672 §2.2: without usable records TLS is not authenticated; dane-only demands them (RFC 8460 §4.3.2.1)
      return policy.level() == TlsLevel.DANE_ONLY ? TlsResultType.DANE_REQUIRED : null;
    }
    if (chain == null || chain.length == 0) {
      return TlsResultType.TLSA_INVALID;
    }
    TlsResultType taFailure = null;
    for (Tlsa record : records) {
      if (record.usage() == Tlsa.DANE_EE && TlsaMatch.matches(record, chain[0])) {
        return null;
      }
    }
    for (Tlsa record : records) {
      if (record.usage() != Tlsa.DANE_TA) {
        continue;
      }
      for (int anchor = 1; anchor < chain.length; anchor++) {
        if (TlsaMatch.matches(record, chain[anchor])) {
          TlsResultType failure = issuedBy(chain, anchor, mxHost);
          if (failure == null) {
            return null;
          }
          taFailure = taFailure == null ? failure : taFailure;
        }
      }
    }
    return taFailure != null ? taFailure : TlsResultType.TLSA_INVALID;
  }

  /** The chain from the leaf up to {@code chain[anchor]}: signatures, validity dates, then the leaf's name. */
  private TlsResultType issuedBy(X509Certificate[] chain, int anchor, String mxHost) {
    Date now = Date.from(clock.instant());
    for (int i = 0; i < anchor; i++) {
      X509Certificate subject = chain[i];
      X509Certificate issuer = chain[i + 1];
      if (!subject.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
        return TlsResultType.VALIDATION_FAILURE;
      }
      if (i > 0 && subject.getBasicConstraints() < 0) {
        return TlsResultType.VALIDATION_FAILURE; // an intermediate that is not a CA may not sign
      }
      try {
        subject.verify(issuer.getPublicKey());
      } catch (GeneralSecurityException | RuntimeException e) {
        return TlsResultType.VALIDATION_FAILURE;
      }
      try {
        subject.checkValidity(now);
      } catch (CertificateExpiredException | CertificateNotYetValidException e) {
        return TlsResultType.CERTIFICATE_EXPIRED;
      }
    }
    return CertificateNames.matches(CertificateNames.dnsNames(chain[0]), mxHost) ? null
        : TlsResultType.CERTIFICATE_HOST_MISMATCH;
  }
}
