package io.hermod.config;

/**
 * Outbound delivery (all under "delivery"); the routing/delivery work extends this record.
 *
 * @param retryInitialSeconds    first retry delay after a temporary failure ("delivery.retryInitialSeconds")
 * @param retryMaxSeconds        the doubling stops here ("delivery.retryMaxSeconds")
 * @param lifetimeSeconds        a message still undelivered after this bounces with 4.4.7 ("delivery.lifetimeSeconds")
 * @param delayWarningSeconds    a DELAY DSN is sent once after this; 0 = never ("delivery.delayWarningSeconds")
 * @param maxConnections         outbound connections over all destinations ("delivery.maxConnections")
 * @param maxConnectionsPerDestination per destination domain/next hop ("delivery.maxConnectionsPerDestination")
 * @param maxMessagesPerConnection messages sent over one connection before QUIT ("delivery.maxMessagesPerConnection")
 * @param instances              delivery verticle instances ("delivery.instances")
 */
public record DeliveryConfig(int retryInitialSeconds, int retryMaxSeconds, int lifetimeSeconds,
                             int delayWarningSeconds, int maxConnections, int maxConnectionsPerDestination,
                             int maxMessagesPerConnection, int instances) {
}
