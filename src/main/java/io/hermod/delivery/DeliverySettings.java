package io.hermod.delivery;

import java.util.Objects;

/**
 * Settings of one {@link DeliveryVerticle} instance (the limits are per instance, not per process).
 *
 * @param heloName                     our host name, given in EHLO/HELO; overrides {@code client.heloName()}
 * @param client                       the outbound SMTP client's settings (TLS policy, stage timeouts, reply limits)
 * @param maxConnections               open outbound connections (busy, idle or connecting) over all destinations
 * @param maxConnectionsPerDestination open connections per destination (the job's shaping key)
 * @param maxMessagesPerConnection     transactions sent over one connection before it is closed with QUIT
 * @param idleTimeoutMs                how long an unused connection is kept for reuse before QUIT
 */
public record DeliverySettings(String heloName, ClientOptions client, int maxConnections,
                              int maxConnectionsPerDestination, int maxMessagesPerConnection, long idleTimeoutMs,
                              int maxConnectionsPerHost) {

  public DeliverySettings {
    Objects.requireNonNull(heloName, "heloName");
    Objects.requireNonNull(client, "client");
    if (maxConnections < 1 || maxConnectionsPerDestination < 1 || maxMessagesPerConnection < 1 || idleTimeoutMs < 1
        || maxConnectionsPerHost < 0) {
      throw new IllegalArgumentException("delivery limits must be positive (maxConnectionsPerHost: 0 = no cap)");
    }
    if (!client.heloName().equals(heloName)) {
      client = new ClientOptions(heloName, client.tlsPolicy(), client.timeouts(), client.maxReplyLineLength(),
          client.maxReplyLines());
    }
  }

  /** Client defaults (opportunistic TLS, RFC 5321 timeouts), 100 connections, 10 per destination, 100 messages, 10 s. */
  public static DeliverySettings defaults(String heloName) {
    return new DeliverySettings(heloName, ClientOptions.defaults(heloName), 100, 10, 100, 10_000, 0);
  }

  public DeliverySettings withClient(ClientOptions c) {
    return new DeliverySettings(heloName, c, maxConnections, maxConnectionsPerDestination, maxMessagesPerConnection,
        idleTimeoutMs, maxConnectionsPerHost);
  }

  public DeliverySettings withLimits(int maxConnections, int perDestination, int messagesPerConnection,
                                    long idleTimeoutMs) {
    return new DeliverySettings(heloName, client, maxConnections, perDestination, messagesPerConnection, idleTimeoutMs,
        maxConnectionsPerHost);
  }

  /** A cap on connections to one MX host (address:port) over all destinations; 0 = none. */
  public DeliverySettings withMaxConnectionsPerHost(int perHost) {
    return new DeliverySettings(heloName, client, maxConnections, maxConnectionsPerDestination,
        maxMessagesPerConnection, idleTimeoutMs, perHost);
  }
}
