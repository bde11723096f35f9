package io.hermod.delivery;

import io.hermod.tlspolicy.HostTlsPolicy;
import io.hermod.tlspolicy.PolicySource;
import io.hermod.tlspolicy.TlsLevel;

/** What a {@link HostTlsPolicy} asks of the client, in one place (docs/security.md "Outbound TLS"). */
final class TlsDemand {

  private TlsDemand() {
  }

  /** Try STARTTLS at all (not at {@code none}). */
  static boolean tries(HostTlsPolicy p) {
    return p.level() != TlsLevel.NONE;
  }

  /**
   * TLS or no delivery: encrypt, verify, dane-only, and dane with TLSA records (RFC 7672 §2.2); never a
   * report-only policy (MTA-STS testing, RFC 8461 §5: deliver anyway).
   */
  static boolean mustEncrypt(HostTlsPolicy p) {
    if (p.reportOnly()) {
      return false;
    }
    return p.level().requiresTls() || (p.level() == TlsLevel.DANE && !p.tlsa().isEmpty());
  }

  /** The presented chain is checked (PeerCheck): verify, dane with records, dane-only. */
  static boolean checksPeer(HostTlsPolicy p) {
    return p.level() == TlsLevel.VERIFY || p.level() == TlsLevel.DANE_ONLY
        || (p.level() == TlsLevel.DANE && !p.tlsa().isEmpty());
  }

  /** TLS-RPT counts sessions under published policies only (RFC 8460 §4.4: "sts" and "tlsa" policy types). */
  static boolean reported(HostTlsPolicy p) {
    return p.source() == PolicySource.MTA_STS || p.source() == PolicySource.DANE;
  }

  /** "verify (mta-sts, example.com)", for reasons and logs. */
  static String describe(HostTlsPolicy p) {
    String domain = p.policyDomain() == null ? "" : ", " + p.policyDomain();
    return p.level().keyword() + (p.reportOnly() ? " report-only" : "") + " (" + p.source().label() + domain + ")";
  }

  /**
   * The job's own policy, or the client's default level when the job brings none (a job from an older router, or
   * a test's client options).
   */
  static HostTlsPolicy effective(HostTlsPolicy fromJob, TlsLevel clientDefault) {
    if (!fromJob.equals(HostTlsPolicy.OPPORTUNISTIC) || clientDefault == TlsLevel.MAY) {
      return fromJob;
    }
    return new HostTlsPolicy(clientDefault, PolicySource.CONFIG, null, false, java.util.List.of());
  }
}
