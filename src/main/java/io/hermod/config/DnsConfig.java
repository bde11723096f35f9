package io.hermod.config;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The DNS client (all under "dns"): which resolvers, how long and how often to ask them, how many queries to
 * have in flight, and how soon mail deferred by a DNS failure is tried again.
 *
 * @param resolvers              recursive resolvers to ask, "host:port" ("dns.resolvers"); empty = the system's
 * @param timeoutMillis          most time one question may take, from when it is asked until its answer,
 *                               every retransmission and any wait for a query slot included ("dns.timeoutMillis")
 * @param cacheSize              most names kept in the answer cache ("dns.cacheSize")
 * @param tryTimeoutMillis       wait for an answer to the first query before it is sent again; doubled for each
 *                               further query, never past {@code timeoutMillis} ("dns.tryTimeoutMillis")
 * @param tries                  most queries sent for one question, over all resolvers in turn ("dns.tries")
 * @param maxOutstandingPerResolver most queries awaiting an answer from one resolver ("dns.maxOutstandingPerResolver")
 * @param maxQueuedPerResolver   most queries waiting for one of those slots; beyond, a query fails at once
 *                               ("dns.maxQueuedPerResolver")
 * @param tempFailRetrySeconds   a recipient deferred by a DNS failure is tried again after this instead of the
 *                               delivery backoff ("dns.tempFailRetrySeconds")
 * @param tempFailRetries        on how many of a recipient's first attempts that short retry applies; 0 = never
 *                               ("dns.tempFailRetries")
 */
public record DnsConfig(List<InetSocketAddress> resolvers, int timeoutMillis, int cacheSize, int tryTimeoutMillis,
                        int tries, int maxOutstandingPerResolver, int maxQueuedPerResolver,
                        int tempFailRetrySeconds, int tempFailRetries) {

  /** The shipped defaults of the keys the short constructor leaves out (keep in step with defaults.json). */
  public static final int DEFAULT_TRY_TIMEOUT_MILLIS = 1000;
  public static final int DEFAULT_TRIES = 3;
  public static final int DEFAULT_MAX_OUTSTANDING_PER_RESOLVER = 100;
  public static final int DEFAULT_MAX_QUEUED_PER_RESOLVER = 20_000;
  public static final int DEFAULT_TEMP_FAIL_RETRY_SECONDS = 60;
  public static final int DEFAULT_TEMP_FAIL_RETRIES = 2;

  public DnsConfig {
    resolvers = List.copyOf(resolvers);
  }

  /** Resolvers, timeout and cache; the shipped defaults for the rest. */
  public DnsConfig(List<InetSocketAddress> resolvers, int timeoutMillis, int cacheSize) {
    this(resolvers, timeoutMillis, cacheSize, DEFAULT_TRY_TIMEOUT_MILLIS, DEFAULT_TRIES,
        DEFAULT_MAX_OUTSTANDING_PER_RESOLVER, DEFAULT_MAX_QUEUED_PER_RESOLVER, DEFAULT_TEMP_FAIL_RETRY_SECONDS,
        DEFAULT_TEMP_FAIL_RETRIES);
  }

  /** This configuration with other retransmission settings (per-query wait, queries per question). */
  public DnsConfig withTries(int tryTimeoutMillis, int tries) {
    return new DnsConfig(resolvers, timeoutMillis, cacheSize, tryTimeoutMillis, tries, maxOutstandingPerResolver,
        maxQueuedPerResolver, tempFailRetrySeconds, tempFailRetries);
  }

  /** This configuration with other per-resolver bounds. */
  public DnsConfig withBounds(int maxOutstandingPerResolver, int maxQueuedPerResolver) {
    return new DnsConfig(resolvers, timeoutMillis, cacheSize, tryTimeoutMillis, tries, maxOutstandingPerResolver,
        maxQueuedPerResolver, tempFailRetrySeconds, tempFailRetries);
  }
}
