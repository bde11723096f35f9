package io.hermod.tlspolicy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pure part of planning (docs/security.md "Outbound TLS", "Which policy applies"): from the configured levels
 * and what MTA-STS and DANE say, each MX host's {@link HostTlsPolicy}, or why it must not be used.
 *
 * <ol>
 *   <li>An entry of outboundTls.policies for the destination is the operator's word and applies as it is (a way
 *       around a broken published policy), except {@code dane} and {@code dane-only}, which need DANE's answer.
 *   <li>Otherwise per host: DNSSEC-secure TLSA records → DANE (RFC 7672 §2.2; DANE takes precedence over MTA-STS,
 *       RFC 8461 §2); secure but none usable → encrypt; bogus → the host is not used.
 *   <li>Without DANE: MTA-STS enforce → only hosts matching the policy's mx, at verify (RFC 8461 §4.1, §5);
 *       testing → verify, report-only (§5: deliver anyway, report).
 *   <li>Without either: outboundTls.level.
 * </ol>
 */
public final class TlsPlanRules {

  /** RFC 3463 X.7.5 "Cryptographic failure": what a policy that cannot be met defers with. */
  public static final String POLICY_STATUS = "4.7.5";
  /** RFC 3463 X.4.3 "Directory server failure": a DANE lookup that failed (not one that said "insecure"). */
  public static final String LOOKUP_STATUS = "4.4.3";

  private TlsPlanRules() {
  }

  private record Skip(String status, String reason) {
  }

  /**
   * @param domain       the policy domain (recipient domain, or the next hop)
   * @param mxHosts      the MX host names, in preference order
   * @param configured   the outboundTls.policies entry for {@code domain}, or null
   * @param defaultLevel outboundTls.level
   * @param sts          the domain's MTA-STS policy, if any
   * @param dane         per MX host name (normalised, {@link TlsPolicyMap#normalise}) its DANE answer; a host
   *                     missing here had a failed lookup
   */
  public static TlsPlan decide(String domain, List<String> mxHosts, TlsLevel configured, TlsLevel defaultLevel,
                               Optional<StsPolicy> sts, Map<String, DaneAnswer> dane) {
    if (configured != null && configured != TlsLevel.DANE && configured != TlsLevel.DANE_ONLY) {
      return TlsPlan.uniform(mxHosts, new HostTlsPolicy(configured, PolicySource.CONFIG, domain, false, List.of()));
    }
    TlsLevel base = configured != null ? configured : defaultLevel;
    PolicySource baseSource = configured == null && defaultLevel == TlsLevel.MAY ? PolicySource.NONE
        : PolicySource.CONFIG;
    Map<String, HostTlsPolicy> usable = new LinkedHashMap<>();
    Map<String, Skip> skipped = new LinkedHashMap<>();
    for (String name : mxHosts) {
      String host = TlsPolicyMap.normalise(name);
      Object decision = host(domain, host, base, baseSource, sts, dane);
      if (decision instanceof HostTlsPolicy p) {
        usable.put(host, p);
      } else {
        skipped.put(host, (Skip) decision);
      }
    }
    if (!usable.isEmpty()) {
      Map<String, String> why = new LinkedHashMap<>();
      skipped.forEach((h, s) -> why.put(h, s.reason()));
      return new TlsPlan.Hosts(usable, why);
    }
    return blocked(sts, skipped);
  }

  /** A {@link HostTlsPolicy} or a {@link Skip}. */
  private static Object host(String domain, String host, TlsLevel base, PolicySource baseSource,
                             Optional<StsPolicy> sts, Map<String, DaneAnswer> dane) {
    DaneAnswer answer = dane.get(host);
    if (answer == null) {
      return new Skip(LOOKUP_STATUS, "DANE: the TLSA lookup for " + host + " failed");
    }
    switch (answer.security()) {
      case SECURE:
        return answer.usable().isEmpty()
            // RFC 7672 §2.2: secure TLSA records, none usable: encrypt, without authentication.
            ? new HostTlsPolicy(TlsLevel.ENCRYPT, PolicySource.DANE, domain, false, List.of())
            : new HostTlsPolicy(TlsLevel.DANE, PolicySource.DANE, domain, false, answer.usable());
      case BOGUS:
        return new Skip(POLICY_STATUS, "DANE: DNSSEC validation of the TLSA records of " + host + " failed");
      default:
        break;
    }
    if (base == TlsLevel.DANE_ONLY) {
      return new Skip(POLICY_STATUS, "dane-only: " + host + " has no DNSSEC-secure TLSA records");
    }
    if (sts.isPresent() && sts.get().mode() == StsPolicy.Mode.ENFORCE) {
      return sts.get().allows(host)
          ? new HostTlsPolicy(TlsLevel.VERIFY, PolicySource.MTA_STS, domain, false, List.of())
          : new Skip(POLICY_STATUS, "MTA-STS enforce: " + host + " does not match the policy's mx");
    }
    if (sts.isPresent() && sts.get().mode() == StsPolicy.Mode.TESTING && !base.requiresTls()) {
      // A level that already demands TLS stays in force: testing must not weaken it to "deliver anyway".
      return new HostTlsPolicy(TlsLevel.VERIFY, PolicySource.MTA_STS, domain, true, List.of());
    }
    TlsLevel level = base == TlsLevel.DANE ? TlsLevel.MAY : base; // dane without TLSA records: opportunistic
    return baseSource == PolicySource.NONE && level == TlsLevel.MAY ? HostTlsPolicy.OPPORTUNISTIC
        : new HostTlsPolicy(level, baseSource, domain, false, List.of());
  }

  private static TlsPlan.Blocked blocked(Optional<StsPolicy> sts, Map<String, Skip> skipped) {
    boolean allSts = skipped.values().stream().allMatch(s -> s.reason().startsWith("MTA-STS"));
    if (allSts && sts.isPresent()) {
      return new TlsPlan.Blocked(POLICY_STATUS, "MTA-STS enforce: no MX host matches the policy (mx: "
          + String.join(", ", sts.get().mx()) + "; MX hosts: " + String.join(", ", skipped.keySet()) + ")");
    }
    boolean policy = skipped.values().stream().anyMatch(s -> s.status().equals(POLICY_STATUS));
    StringBuilder why = new StringBuilder("TLS policy: no usable MX host");
    skipped.values().forEach(s -> why.append("; ").append(s.reason()));
    return new TlsPlan.Blocked(policy ? POLICY_STATUS : LOOKUP_STATUS, why.toString());
  }
}
