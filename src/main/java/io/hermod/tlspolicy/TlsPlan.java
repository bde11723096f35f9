package io.hermod.tlspolicy;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the {@link TlsPolicyPlanner} says about delivering to one destination's MX hosts. */
public sealed interface TlsPlan permits TlsPlan.Hosts, TlsPlan.Blocked {

  /**
   * Deliver to the hosts in {@code usable}, each under its policy; the hosts in {@code skipped} must not be used
   * (why, per host: e.g. not in the MTA-STS policy's mx, or a bogus DNSSEC answer).
   */
  record Hosts(Map<String, HostTlsPolicy> usable, Map<String, String> skipped) implements TlsPlan {
    public Hosts {
      usable = Map.copyOf(usable);
      skipped = Map.copyOf(skipped);
    }

    /** The policy of {@code mxHost} (a name the plan was made for), or null when it is skipped. */
    public HostTlsPolicy policyOf(String mxHost) {
      return usable.get(TlsPolicyMap.normalise(mxHost));
    }
  }

  /**
   * No host may be used: every recipient of the destination is deferred with {@code status} (4.7.x) and
   * {@code reason}, which names the policy ("MTA-STS enforce: no MX host matches the policy ..."), without a
   * connection attempt. The reason reaches the envelope's last reply, the queue views and the events.
   */
  record Blocked(String status, String reason) implements TlsPlan {
  }

  /** Every host under one policy (a next hop, or a policy that does not depend on the host). */
  static Hosts uniform(Iterable<String> mxHosts, HostTlsPolicy policy) {
    Map<String, HostTlsPolicy> all = new LinkedHashMap<>();
    mxHosts.forEach(h -> all.put(TlsPolicyMap.normalise(h), policy));
    return new Hosts(all, Map.of());
  }
}
