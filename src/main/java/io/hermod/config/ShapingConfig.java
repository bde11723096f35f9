package io.hermod.config;

import io.hermod.shaping.Provider;

import java.util.List;

/**
 * Sending per site ("shaping", docs/delivery.md "Sites"): how destinations are grouped into sites.
 *
 * @param providers      provider rules: sites whose MX hosts all match one are one site ("shaping.providers")
 * @param ownSiteDomains recipient domains kept on a site of their own ("shaping.ownSiteDomains")
 */
public record ShapingConfig(List<Provider> providers, List<String> ownSiteDomains) {

  public ShapingConfig {
    providers = List.copyOf(providers);
    ownSiteDomains = List.copyOf(ownSiteDomains);
  }
}
