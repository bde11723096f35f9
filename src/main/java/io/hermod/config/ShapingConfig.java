package io.hermod.config;

import io.hermod.shaping.Provider;

import java.util.List;

/**
 * Sending per site ("shaping", docs/delivery.md "Sites"): how destinations are grouped into sites.
 *
 * @param providers      provider rules: sites whose MX hosts all match one are one site ("shaping.providers")
 * @param ownSiteDomains recipient domains kept on a site of their own ("shaping.ownSiteDomains")
 * @param bounceRulesFile the operator's bounce classification rules, tried before the shipped ones, or null
 *                        ("shaping.bounceRulesFile", docs/delivery.md "Bounce classification")
 */
public record ShapingConfig(List<Provider> providers, List<String> ownSiteDomains, String bounceRulesFile) {

  public ShapingConfig {
    providers = List.copyOf(providers);
    ownSiteDomains = List.copyOf(ownSiteDomains);
  }
}
