package io.hermod.routing;

import io.hermod.config.DnsConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Name;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.LookupSession;

/** dnsjava's {@link LookupSession} configured from {@link DnsConfig}, answering on a Vert.x context. */
public final class DnsClient {

  /** RFC 2308 §5: negative answers should not be cached for more than a few hours. */
  private static final int MAX_NEGATIVE_TTL_SECONDS = 3 * 3600;
  private static final int DNS_PORT = 53;
  /**
   * dnsjava checks query timeouts only when its NIO selector has been idle for a second, so a
   * per-server timeout fires up to a second late, and later still while other queries keep it busy.
   */
  private static final Duration SELECTOR_SLACK = Duration.ofSeconds(1);

  private final LookupSession session;
  private final Executor executor;
  private final Duration deadline;

  public DnsClient(DnsConfig config, Executor executor) {
    this.executor = executor;
    List<InetSocketAddress> servers = config.resolvers().isEmpty()
        ? ResolverConfig.getCurrentConfig().servers()
        : config.resolvers().stream().map(DnsClient::literal).toList();
    Duration timeout = Duration.ofMillis(config.timeoutMillis());
    // Each server is asked once; our own deadline bounds a query even when dnsjava's timer is late.
    this.deadline = timeout.plus(SELECTOR_SLACK).multipliedBy(servers.size());
    LookupSession.LookupSessionBuilder builder = LookupSession.builder()
        .resolver(resolver(servers, timeout, deadline))
        .executor(executor)
        .clearSearchPath(); // names are absolute; no /etc/hosts either (builder() sets no hosts file)
    if (config.cacheSize() > 0) {
      Cache cache = new Cache(DClass.IN); // positive answers live for their TTL
      cache.setMaxEntries(config.cacheSize());
      cache.setMaxNCache(MAX_NEGATIVE_TTL_SECONDS); // negative: min(SOA TTL, SOA minimum), capped
      builder.cache(cache);
    }
    this.session = builder.build();
  }

  /** Never fails: errors are folded into the answer. Completes on {@code context}. */
  public Future<DnsAnswer> query(Name name, int type, Context context) {
    // Start the lookup on our executor too: a cache probe or socket setup stays off the event loop.
    CompletableFuture<LookupResult> lookup;
    try {
      lookup = CompletableFuture.supplyAsync(() -> session.lookupAsync(name, type), executor)
          .thenCompose(stage -> stage);
    } catch (RejectedExecutionException e) { // the executor was shut down
      lookup = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<DnsAnswer> answer = lookup
        .orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .handle((result, error) -> DnsAnswer.of(result, error, name, type));
    return Future.fromCompletionStage(answer, context);
  }

  /** One {@link SimpleResolver} per server with the configured timeout; several are asked in turn. */
  private static Resolver resolver(List<InetSocketAddress> servers, Duration timeout, Duration deadline) {
    List<Resolver> resolvers = servers.stream().map(server -> {
      SimpleResolver r = new SimpleResolver(server);
      r.setTimeout(timeout);
      return (Resolver) r;
    }).toList();
    if (resolvers.size() == 1) {
      return resolvers.get(0);
    }
    ExtendedResolver all = new ExtendedResolver(resolvers);
    all.setLoadBalance(false); // in configured order, servers that failed recently last
    all.setRetries(1);
    all.setTimeout(deadline);
    return all;
  }

  /** Resolvers must be IP addresses: finding the DNS server through DNS would need a DNS server. */
  private static InetSocketAddress literal(InetSocketAddress configured) {
    int port = configured.getPort() == 0 ? DNS_PORT : configured.getPort();
    if (!configured.isUnresolved()) {
      return new InetSocketAddress(configured.getAddress(), port);
    }
    InetAddress ip = IpLiteral.parse(configured.getHostString()).orElseThrow(() ->
        new IllegalArgumentException("dns.resolvers: '" + configured.getHostString()
            + "' is not an IP address (resolvers must be given as IP addresses)"));
    return new InetSocketAddress(ip, port);
  }
}
