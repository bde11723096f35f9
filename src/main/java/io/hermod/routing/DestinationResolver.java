package io.hermod.routing;

import io.hermod.delivery.DeliveryJob;
import io.vertx.core.Future;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** Turns a {@link Route} into addresses to connect to, with DNS (MX or A/AAAA) and loop detection. */
public final class DestinationResolver {

  private final MxResolver resolver;
  private final LoopDetector loops;

  public DestinationResolver(MxResolver resolver, LoopDetector loops) {
    this.resolver = resolver;
    this.loops = loops;
  }

  /** Never fails: every DNS problem is an {@link Target.Unreachable} (see docs/routing.md for the table). */
  public Future<Target> resolve(Route route) {
    if (route instanceof Route.Mx mx) {
      return resolver.resolve(mx.domain()).map(r -> fromResolution(r, mx.port(), mx.domain()));
    }
    if (route instanceof Route.MxOfHost hop) {
      return resolver.resolve(hop.host()).map(r -> fromResolution(r, hop.port(), hop.host()));
    }
    if (route instanceof Route.Direct hop) {
      return resolver.resolveHost(hop.host())
          .map(addresses -> hosts(List.of(new MxHost(hop.host(), 0, addresses)), hop.port(), hop.host()))
          .recover(e -> Future.succeededFuture(e instanceof ResolutionException re ? failure(re.failure())
              : new Target.Unreachable(451, "4.4.3", "next hop lookup failed: " + e.getMessage())));
    }
    throw new IllegalArgumentException("a local domain has no remote target: " + route);
  }

  private Target fromResolution(Resolution resolution, int port, String name) {
    if (resolution instanceof Resolution.Failure failed) {
      return failure(failed);
    }
    return hosts(((Resolution.Hosts) resolution).hosts(), port, name);
  }

  private Target hosts(List<MxHost> found, int port, String name) {
    List<MxHost> usable = loops.beforeSelf(found, port);
    if (usable.isEmpty()) {
      // RFC 5321 §5.1: we are the best MX (or the next hop is us): sending would loop.
      return new Target.Unreachable(550, "5.4.6", "mail for " + name + " loops back to myself");
    }
    List<DeliveryJob.Host> out = new ArrayList<>();
    for (MxHost host : usable) {
      for (InetAddress address : host.addresses()) {
        out.add(new DeliveryJob.Host(host.name(), address.getHostAddress(), port));
      }
    }
    return new Target.Hosts(out);
  }

  private static Target failure(Resolution.Failure failure) {
    return new Target.Unreachable(failure.replyCode(), failure.enhancedStatus(), failure.detail());
  }
}
