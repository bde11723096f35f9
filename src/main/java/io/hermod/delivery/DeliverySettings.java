package io.hermod.delivery;

import io.hermod.egress.EgressSource;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * @param maxConnectionsPerHost        connections to one MX host (address:port) over all destinations; 0 = no cap
 * @param sources                      the egress sources this instance may send from, by name (only those whose
 *                                     address exists on this node, io.hermod.egress.SourceAddresses); a job naming
 *                                     another source, or none, goes out from the default (the system's choice of
 *                                     local address, EHLO = {@code heloName})
 */
public record DeliverySettings(String heloName, ClientOptions client, int maxConnections,
                              int maxConnectionsPerDestination, int maxMessagesPerConnection, long idleTimeoutMs,
                              int maxConnectionsPerHost, Map<String, EgressSource> sources) {

  public DeliverySettings {
    Objects.requireNonNull(heloName, "heloName");
    Objects.requireNonNull(client, "client");
    if (maxConnections < 1 || maxConnectionsPerDestination < 1 || maxMessagesPerConnection < 1 || idleTimeoutMs < 1
        || maxConnectionsPerHost < 0) {
      throw new IllegalArgumentException("delivery limits must be positive (maxConnectionsPerHost: 0 = no cap)");
    }
    if (!client.heloName().equals(heloName)) {
      client = client.withHeloName(heloName);
    }
    sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
  }

  /** Without egress sources: everything goes out from the default source. */
  public DeliverySettings(String heloName, ClientOptions client, int maxConnections, int maxConnectionsPerDestination,
                          int maxMessagesPerConnection, long idleTimeoutMs, int maxConnectionsPerHost) {
    this(heloName, client, maxConnections, maxConnectionsPerDestination, maxMessagesPerConnection, idleTimeoutMs,
        maxConnectionsPerHost, Map.of());
  }

  /** Client defaults (opportunistic TLS, RFC 5321 timeouts), 100 connections, 10 per destination, 100 messages, 10 s. */
  public static DeliverySettings defaults(String heloName) {
    return new DeliverySettings(heloName, ClientOptions.defaults(heloName), 100, 10, 100, 10_000, 0);
  }

  public DeliverySettings withClient(ClientOptions c) {
    return new DeliverySettings(heloName, c, maxConnections, maxConnectionsPerDestination, maxMessagesPerConnection,
        idleTimeoutMs, maxConnectionsPerHost, sources);
  }

  public DeliverySettings withLimits(int maxConnections, int perDestination, int messagesPerConnection,
                                    long idleTimeoutMs) {
    return new DeliverySettings(heloName, client, maxConnections, perDestination, messagesPerConnection, idleTimeoutMs,
        maxConnectionsPerHost, sources);
  }

  /** A cap on connections to one MX host (address:port) over all destinations; 0 = none. */
  public DeliverySettings withMaxConnectionsPerHost(int perHost) {
    return new DeliverySettings(heloName, client, maxConnections, maxConnectionsPerDestination,
        maxMessagesPerConnection, idleTimeoutMs, perHost, sources);
  }

  /** The egress sources to send from (those usable on this node). */
  public DeliverySettings withSources(Map<String, EgressSource> usable) {
    return new DeliverySettings(heloName, client, maxConnections, maxConnectionsPerDestination,
        maxMessagesPerConnection, idleTimeoutMs, maxConnectionsPerHost, usable);
  }

  /** The client settings for jobs from {@code source}: its EHLO name, or ours for the default source. */
  public ClientOptions clientFor(EgressSource source) {
    return source == null ? client : client.withHeloName(source.ehloOr(heloName));
  }
}
