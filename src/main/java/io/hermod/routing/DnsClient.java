package io.hermod.routing;

import io.hermod.config.DnsConfig;
import io.hermod.dns.RetryingResolver;
import io.hermod.dns.VertxDnsTransport;
import io.hermod.metrics.HermodMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.LookupSession;

/**
 * dnsjava's {@link LookupSession} (cache, CNAMEs) configured from {@link DnsConfig}, answering on a Vert.x
 * context. Its queries go through a {@link RetryingResolver} (retransmission, per-resolver bounds, shared
 * questions) over Vert.x sockets ({@link VertxDnsTransport}).
 */
public final class DnsClient {

  /** RFC 2308 §5: negative answers should not be cached for more than a few hours. */
  private static final int MAX_NEGATIVE_TTL_SECONDS = 3 * 3600;
  private static final int DNS_PORT = 53;

  private final LookupSession session;
  private final Executor executor;
  private final RetryingResolver resolver;

  /** As {@link #DnsClient(Vertx, DnsConfig, Executor, HermodMetrics)}, counting nothing. */
  public DnsClient(Vertx vertx, DnsConfig config, Executor executor) {
    this(vertx, config, executor, HermodMetrics.noop());
  }

  /**
   * @param executor runs dnsjava's work (cache, parsing); the caller owns it
   * @param metrics  where the queries and the resolvers' load are counted
   */
  public DnsClient(Vertx vertx, DnsConfig config, Executor executor, HermodMetrics metrics) {
    this.executor = executor;
    List<InetSocketAddress> servers = config.resolvers().isEmpty()
        ? ResolverConfig.getCurrentConfig().servers()
        : config.resolvers().stream().map(DnsClient::literal).toList();
    this.resolver = new RetryingResolver(servers, config, new VertxDnsTransport(vertx), metrics);
    LookupSession.LookupSessionBuilder builder = LookupSession.builder()
        .resolver(resolver)
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

  /**
   * Never fails: errors are folded into the answer. Completes on {@code context}, at the latest
   * dns.timeoutMillis after each query of the lookup was asked (a CNAME chain asks one per link).
   */
  public Future<DnsAnswer> query(Name name, int type, Context context) {
    // Start the lookup on our executor too: a cache probe or socket setup stays off the event loop.
    CompletableFuture<LookupResult> lookup;
    try {
      lookup = CompletableFuture.supplyAsync(() -> session.lookupAsync(name, type), executor)
          .thenCompose(stage -> stage);
    } catch (RejectedExecutionException e) { // the executor was shut down
      lookup = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<DnsAnswer> answer = lookup.handle((result, error) -> DnsAnswer.of(result, error, name, type));
    return Future.fromCompletionStage(answer, context);
  }

  /**
   * The resolver under the lookups (no cache, no CNAME following), for questions asked as whole messages: DANE's
   * DNSSEC queries share its per-resolver bounds and metrics.
   */
  public RetryingResolver resolver() {
    return resolver;
  }

  /** The executor dnsjava's work runs on. */
  public Executor executor() {
    return executor;
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
