package io.hermod.delivery;

import io.hermod.tlspolicy.HostTlsPolicy;
import io.hermod.tlspolicy.TlsLevel;
import io.hermod.tlspolicy.TlsResultType;

/**
 * What TLS one outbound session achieved, under which policy: for its log lines and events, and for deciding
 * whether a pooled session may carry a job whose host demands a given policy ({@link #satisfies}).
 *
 * @param protocol the negotiated TLS version ("TLSv1.3"), null for plaintext
 * @param cipher   the negotiated cipher suite, null for plaintext
 * @param policy   the policy the session was opened under
 * @param hostName the MX host name the certificate was checked against
 * @param failure  the check's failure when the policy was report-only (MTA-STS testing) and delivery went on
 *                 anyway; null when the check passed or there was none
 */
record SessionTls(String protocol, String cipher, HostTlsPolicy policy, String hostName, TlsResultType failure) {

  static SessionTls plaintext(HostTlsPolicy policy, String hostName, TlsResultType failure) {
    return new SessionTls(null, null, policy, hostName, failure);
  }

  boolean encrypted() {
    return protocol != null;
  }

  /**
   * True when the session proved at least what {@code wanted} demands of host {@code name}: a plaintext session
   * never serves a job that needs TLS, a merely encrypted one never serves verify, a session checked under other
   * TLSA records (or another host name) never serves DANE. Report-only and opportunistic jobs take any session.
   */
  boolean satisfies(HostTlsPolicy wanted, String name) {
    if (!TlsDemand.mustEncrypt(wanted)) {
      return true;
    }
    if (!encrypted() || failure != null) {
      return false;
    }
    if (!TlsDemand.checksPeer(wanted)) {
      return true; // encrypt: any certificate
    }
    boolean sameHost = hostName != null && hostName.equalsIgnoreCase(name);
    if (wanted.level() == TlsLevel.VERIFY) {
      return sameHost && policy.level() == TlsLevel.VERIFY && !policy.reportOnly();
    }
    return sameHost && TlsDemand.checksPeer(policy) && policy.level() != TlsLevel.VERIFY
        && policy.tlsa().containsAll(wanted.tlsa()) && wanted.tlsa().containsAll(policy.tlsa());
  }

  /** What the check of an encrypted session proved: "verified", "dane", or "encrypted" (no check). */
  String checkResult() {
    if (!TlsDemand.checksPeer(policy)) {
      return "encrypted";
    }
    return policy.level() == TlsLevel.VERIFY ? "verified" : "dane";
  }

  /** "TLSv1.3 TLS_AES_128_GCM_SHA256 verified", "... dane", "... unverified", "... failed certificate-expired", or "none". */
  String summary() {
    if (!encrypted()) {
      return "none";
    }
    String check = failure != null ? "failed " + failure.label()
        : TlsDemand.checksPeer(policy) ? checkResult() : "unverified";
    return protocol + " " + cipher + " " + check;
  }
}
