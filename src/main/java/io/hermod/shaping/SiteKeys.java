package io.hermod.shaping;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Names the remote site of a destination: the unit of sending (DESIGN.md "Sending at scale"). Big providers
 * serve thousands of recipient domains from one MX host set and throttle or fail as a whole, so limits,
 * suspensions and dead marks are kept per site, never per domain. Pure.
 *
 * <ul>
 *   <li>A domain listed in {@code ownSiteDomains} is its own site, named by the domain (an operator's
 *       opt-out, with per-domain limits like before).</li>
 *   <li>A site whose MX hosts all match one {@link Provider} is {@code provider:<name>}.</li>
 *   <li>Otherwise the site is the sorted set of its MX host names, lower case, comma-separated, with
 *       {@code :port} when not 25 (KumoMTA's site name, PowerMTA's mx-rollup): every domain hosted by the
 *       same MX set shares it, whatever order or preferences its records give.</li>
 *   <li>A configured next hop ({@code routing.routes}, {@code routing.smarthost} in brackets) is a site of its
 *       own, named as configured ("[10.1.2.3]:2525").</li>
 * </ul>
 */
public final class SiteKeys implements SiteLimits {

  private final List<Provider> providers;
  private final Set<String> ownSiteDomains;

  public SiteKeys(List<Provider> providers, Collection<String> ownSiteDomains) {
    this.providers = List.copyOf(providers);
    this.ownSiteDomains = Set.copyOf(ownSiteDomains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList());
  }

  public static SiteKeys none() {
    return new SiteKeys(List.of(), List.of());
  }

  /**
   * The site of a recipient domain resolved to {@code mxHosts} on {@code port}.
   *
   * @param domain  the recipient domain (or the next hop's host for a "host:port" route), any case
   * @param mxHosts the MX host names it resolved to (the domain itself for an implicit MX)
   */
  public String ofMx(String domain, Collection<String> mxHosts, int port) {
    String d = domain.toLowerCase(Locale.ROOT);
    if (ownSiteDomains.contains(d)) {
      return d;
    }
    Provider provider = providerOf(mxHosts);
    if (provider != null) {
      return provider.site();
    }
    return canonical(mxHosts, port);
  }

  /** The provider every one of {@code mxHosts} belongs to, or null. */
  public Provider providerOf(Collection<String> mxHosts) {
    if (mxHosts.isEmpty()) {
      return null;
    }
    for (Provider p : providers) {
      if (mxHosts.stream().allMatch(p::matches)) {
        return p;
      }
    }
    return null;
  }

  /** The provider whose site is {@code site}, or null. */
  public Provider providerNamed(String site) {
    for (Provider p : providers) {
      if (p.site().equals(site)) {
        return p;
      }
    }
    return null;
  }

  /** A provider's own cap ({@link Provider#maxConnections}), never above the default. */
  @Override
  public int cap(String site, int cap) {
    Provider p = site.startsWith("provider:") ? providerNamed(site) : null;
    return p == null || p.maxConnections() == 0 ? cap : Math.min(cap, p.maxConnections());
  }

  /** A provider's own rate, or the default; 0 = unlimited. */
  @Override
  public int ratePerMinute(String site, int ratePerMinute) {
    Provider p = site.startsWith("provider:") ? providerNamed(site) : null;
    if (p == null || p.ratePerMinute() == 0) {
      return ratePerMinute;
    }
    return ratePerMinute == 0 ? p.ratePerMinute() : Math.min(ratePerMinute, p.ratePerMinute());
  }

  static String canonical(Collection<String> mxHosts, int port) {
    Set<String> sorted = new TreeSet<>();
    for (String h : mxHosts) {
      String name = h.toLowerCase(Locale.ROOT);
      sorted.add(name.endsWith(".") ? name.substring(0, name.length() - 1) : name);
    }
    String hosts = String.join(",", sorted);
    return port == 25 ? hosts : hosts + ":" + port;
  }
}
