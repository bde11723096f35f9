package io.hermod.routing;

import io.hermod.delivery.DeliveryJob;
import io.hermod.tlspolicy.HostTlsPolicy;
import io.hermod.tlspolicy.TlsPlan;
import io.hermod.tlspolicy.TlsPolicyPlanner;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;

/**
 * Puts each resolved host's TLS policy into the {@link Target} (docs/security.md "Outbound TLS"): hosts a policy
 * rules out are dropped, and a destination none of whose hosts may be used becomes {@link Target.Unreachable}
 * with the policy's 4.7.x status and reason, so its recipients wait with that reason and no connection is tried.
 */
final class TlsPlanning {

  private final TlsPolicyPlanner planner;

  TlsPlanning(TlsPolicyPlanner planner) {
    this.planner = planner;
  }

  TlsPolicyPlanner planner() {
    return planner;
  }

  /** {@code target} with the policies; never fails. */
  Future<Target> apply(Route route, Target target) {
    if (!(target instanceof Target.Hosts resolved)) {
      return Future.succeededFuture(target);
    }
    List<String> names = resolved.hosts().stream().map(DeliveryJob.Host::name).toList();
    Future<TlsPlan> plan = route instanceof Route.Mx mx
        ? planner.plan(mx.domain(), names, resolved.hosts().get(0).port())
        : Future.succeededFuture(planner.planNextHop(route.destination(), names));
    return plan.map(p -> withPolicies(resolved, p))
        .otherwise(e -> new Target.Unreachable(451, "4.4.3", "TLS policy planning failed: " + e.getMessage()));
  }

  static Target withPolicies(Target.Hosts resolved, TlsPlan plan) {
    if (plan instanceof TlsPlan.Blocked blocked) {
      return new Target.Unreachable(451, blocked.status(), blocked.reason());
    }
    TlsPlan.Hosts hosts = (TlsPlan.Hosts) plan;
    List<DeliveryJob.Host> out = new ArrayList<>();
    for (DeliveryJob.Host h : resolved.hosts()) {
      HostTlsPolicy policy = hosts.policyOf(h.name());
      if (policy != null) {
        out.add(h.withTls(policy));
      }
    }
    return out.isEmpty() ? new Target.Unreachable(451, "4.7.5", "TLS policy: no usable MX host") : new Target.Hosts(out);
  }
}
