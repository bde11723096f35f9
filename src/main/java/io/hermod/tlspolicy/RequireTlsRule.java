package io.hermod.tlspolicy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RFC 8689 §4.2.1 for one REQUIRETLS message (docs/security.md "REQUIRETLS"): it may only go to an MX host whose
 * identity the sender can check, that is a host under DANE (DNSSEC-secure TLSA records), under an MTA-STS policy
 * (enforced even when the policy is only "testing": the message asked for it), or under a verify / dane-only
 * level of our own configuration (the operator's word for a next hop it trusts). Pure.
 */
public final class RequireTlsRule {

  /** RFC 8689 §5 (IANA): "REQUIRETLS support required". */
  public static final String STATUS = "5.7.30";

  private RequireTlsRule() {
  }

  /**
   * The plan for a REQUIRETLS message: {@code plan}'s authenticated hosts only; a {@link TlsPlan.Blocked} with
   * 5.7.30 (permanent: the destination publishes no way to authenticate it) when there is none. A blocked plan
   * stays as it is (a lookup that failed, a bogus answer: a temporary 4.x.x).
   */
  public static TlsPlan apply(String destination, TlsPlan plan) {
    if (!(plan instanceof TlsPlan.Hosts hosts)) {
      return plan;
    }
    Map<String, HostTlsPolicy> usable = new LinkedHashMap<>();
    Map<String, String> skipped = new LinkedHashMap<>(hosts.skipped());
    hosts.usable().forEach((host, policy) -> {
      if (authenticates(policy)) {
        usable.put(host, policy.reportOnly() ? enforced(policy) : policy);
      } else {
        skipped.put(host, "REQUIRETLS: " + host + " is not authenticated by DANE or MTA-STS");
      }
    });
    return usable.isEmpty()
        ? new TlsPlan.Blocked(STATUS, "REQUIRETLS support required: no MX host of " + destination
            + " is authenticated by DANE or MTA-STS")
        : new TlsPlan.Hosts(usable, skipped);
  }

  /** True when {@code policy} checks who the host is (not only that the session is encrypted). */
  static boolean authenticates(HostTlsPolicy policy) {
    return switch (policy.source()) {
      case DANE -> policy.level() == TlsLevel.DANE && !policy.tlsa().isEmpty();
      case MTA_STS -> policy.level() == TlsLevel.VERIFY;
      case CONFIG -> policy.level() == TlsLevel.VERIFY || policy.level() == TlsLevel.DANE_ONLY;
      case NONE -> false;
    };
  }

  private static HostTlsPolicy enforced(HostTlsPolicy p) {
    return new HostTlsPolicy(p.level(), p.source(), p.policyDomain(), false, p.tlsa());
  }
}
