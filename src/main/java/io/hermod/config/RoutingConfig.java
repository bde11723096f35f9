package io.hermod.config;

import java.util.Map;

/**
 * @param deliveryPort port used for MX delivery ("routing.deliveryPort", default 25)
 * @param smarthost    when set, every non-overridden remote domain goes there ("routing.smarthost"),
 *                     e.g. "[10.1.2.3]:2525" (literal, no MX lookup) or "relay.example:587" (MX lookup)
 * @param routes       per-domain next hop overriding MX ("routing.routes": {"example.com": "[10.1.2.3]:2525"})
 */
public record RoutingConfig(int deliveryPort, NextHop smarthost, Map<String, NextHop> routes) {

  public RoutingConfig {
    routes = Map.copyOf(routes);
  }
}
