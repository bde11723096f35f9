package io.hermod.routing;

import io.hermod.config.HermodConfig;
import io.hermod.config.LocalTransport;
import io.hermod.config.NextHop;

import io.hermod.spool.Envelope;
import io.hermod.spool.Recipient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides the route of a recipient domain from configuration alone (pure, no DNS): a local domain, a
 * per-domain route ({@code routing.routes}), the smarthost ({@code routing.smarthost}), or MX.
 * A configured route wins over the smarthost, and both win over MX.
 */
public final class RoutePlanner {

  private final HermodConfig config;

  public RoutePlanner(HermodConfig config) {
    this.config = config;
  }

  /** The domain of a recipient address, lower case; null for an address without a domain. */
  public static String domainOf(String address) {
    int at = address.lastIndexOf('@');
    if (at < 0 || at == address.length() - 1) {
      return null;
    }
    String domain = address.substring(at + 1).toLowerCase(Locale.ROOT);
    return domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
  }

  /** The route of {@code domain} (lower case). A recipient without a domain counts as local (postmaster). */
  public Route route(String domain) {
    if (domain == null || config.isLocalDomain(domain)) {
      return new Route.Local(domain == null ? "" : domain);
    }
    NextHop hop = config.routing().routes().get(domain);
    if (hop == null) {
      hop = config.routing().smarthost();
    }
    if (hop == null) {
      return new Route.Mx(domain, config.routing().deliveryPort());
    }
    int port = hop.port() == 0 ? config.routing().deliveryPort() : hop.port();
    return hop.noMx() ? new Route.Direct(hop.host(), port) : new Route.MxOfHost(hop.host(), port);
  }

  /**
   * The recipients still to deliver (pending or deferred) to remote domains, grouped by route, in
   * recipient order. Recipients of local domains are left out: see {@link #localRecipients}.
   */
  public Map<Route, List<Recipient>> remoteRecipients(Envelope env) {
    Map<Route, List<Recipient>> out = new LinkedHashMap<>();
    for (Recipient r : env.recipients()) {
      if (r.state().isFinal()) {
        continue;
      }
      Route route = route(domainOf(r.address()));
      if (!(route instanceof Route.Local)) {
        out.computeIfAbsent(route, k -> new ArrayList<>()).add(r);
      }
    }
    return out;
  }

  /**
   * The recipients still to deliver at local domains, grouped by domain ("" for a bare postmaster), in
   * recipient order, with the domain's transport ({@code local.transports}). Domains whose transport is
   * "none" are left out: their recipients stay queued untouched.
   */
  public Map<String, List<Recipient>> localRecipients(Envelope env) {
    Map<String, List<Recipient>> out = new LinkedHashMap<>();
    for (Recipient r : env.recipients()) {
      if (r.state().isFinal()) {
        continue;
      }
      if (route(domainOf(r.address())) instanceof Route.Local local
          && !(transport(local.domain()) instanceof LocalTransport.None)) {
        out.computeIfAbsent(local.domain(), k -> new ArrayList<>()).add(r);
      }
    }
    return out;
  }

  /** The transport of a local domain ("" falls back to "*"). */
  public LocalTransport transport(String localDomain) {
    return config.local().transportFor(localDomain);
  }
}
