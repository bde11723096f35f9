package io.hermod.config;

import io.hermod.shaping.Provider;
import io.hermod.shaping.ShapingRule;

import java.util.List;

/**
 * Sending per site ("shaping", docs/delivery.md "Sites", "Dead sites", "Shaping rules").
 *
 * @param providers          provider rules: sites whose MX hosts all match one are one site ("shaping.providers")
 * @param ownSiteDomains     recipient domains kept on a site of their own ("shaping.ownSiteDomains")
 * @param initialConnections a site's connection window at first and after it revives ("shaping.initialConnections")
 * @param failedCohortLimit  failed cohorts of connections in a row that make a site dead ("shaping.failedCohortLimit")
 * @param probeSeconds       how long a dead site waits for its first probe ("shaping.probeSeconds")
 * @param maxProbeSeconds    the probe interval doubles up to this ("shaping.maxProbeSeconds")
 * @param maxParked          message ids kept in memory, over all sites, to release when their site opens ("shaping.maxParked")
 * @param defaultRules       whether the shipped rules for big providers apply ("shaping.defaultRules")
 * @param rules              the operator's shaping rules ("shaping.rules"), tried with the others
 * @param bounceRulesFile    the operator's bounce classification rules, tried before the shipped ones, or null
 *                           ("shaping.bounceRulesFile", docs/delivery.md "Bounce classification")
 */
public record ShapingConfig(List<Provider> providers, List<String> ownSiteDomains, int initialConnections,
                            int failedCohortLimit, int probeSeconds, int maxProbeSeconds, int maxParked,
                            boolean defaultRules, List<ShapingRule> rules, String bounceRulesFile) {

  public ShapingConfig {
    providers = List.copyOf(providers);
    ownSiteDomains = List.copyOf(ownSiteDomains);
    rules = List.copyOf(rules);
  }
}
