package io.hermod.config;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * @param resolvers      recursive resolvers to ask, "host:port" ("dns.resolvers"); empty = the system's
 * @param timeoutMillis  per query ("dns.timeoutMillis")
 * @param cacheSize      most names kept in the answer cache ("dns.cacheSize")
 */
public record DnsConfig(List<InetSocketAddress> resolvers, int timeoutMillis, int cacheSize) {

  public DnsConfig {
    resolvers = List.copyOf(resolvers);
  }
}
