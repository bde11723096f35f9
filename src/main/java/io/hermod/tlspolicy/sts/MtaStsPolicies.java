package io.hermod.tlspolicy.sts;

import io.hermod.metrics.HermodMetrics;
import io.hermod.tlspolicy.HostTlsPolicy;
import io.hermod.tlspolicy.MtaStsSource;
import io.hermod.tlspolicy.PolicySource;
import io.hermod.tlspolicy.StsPolicy;
import io.hermod.tlspolicy.TlsLevel;
import io.hermod.tlspolicy.TlsOutcome;
import io.hermod.tlspolicy.TlsReportSink;
import io.hermod.tlspolicy.TlsResultType;
import io.hermod.tlspolicy.web.PolicyDns;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * MTA-STS (RFC 8461) for the router: a recipient domain's policy from the cache, or discovered and fetched.
 *
 * <p>Per call (§3.3, §5.1): the {@code _mta-sts} TXT record is looked up (the DNS client caches it); the
 * cluster's shared cache is asked only when this node has no policy and the domain publishes a record.
 * <ul>
 *   <li>With a fresh cached policy: the same id → the cached policy; another id → fetch, and on failure keep the
 *       cached one; no usable record (or a DNS failure) → the cached policy.</li>
 *   <li>Without one: no usable record → no policy; else fetch; a failure → no policy, reported to TLS-RPT
 *       (sts-policy-fetch-error, sts-policy-invalid or sts-webpki-invalid) for the domain.</li>
 * </ul>
 * A policy in mode "none" is cached (its id is remembered) but answered as no policy. At most one fetch per
 * domain runs (callers share it) and at most {@code maxConcurrentFetches} in all; every
 * {@code refreshSeconds}, policies past half their max_age are fetched again in the background (§10.2).
 * Thread-safe: callers may be on any context.
 */
public final class MtaStsPolicies implements MtaStsSource {

  private static final Logger LOG = Logger.getLogger(MtaStsPolicies.class.getName());

  private final Vertx vertx;
  private final PolicyDns dns;
  private final PolicyFetcher fetcher;
  private final PolicyCache cache;
  private final TlsReportSink reports;
  private final HermodMetrics metrics;
  private final int maxConcurrentFetches;
  private final Map<String, Future<CachedPolicy>> inFlight = new HashMap<>();
  private long refreshTimer = -1;

  MtaStsPolicies(Vertx vertx, PolicyDns dns, PolicyFetcher fetcher, PolicyCache cache, TlsReportSink reports,
                 HermodMetrics metrics, int maxConcurrentFetches) {
    this.vertx = vertx;
    this.dns = dns;
    this.fetcher = fetcher;
    this.cache = cache;
    this.reports = reports;
    this.metrics = metrics;
    this.maxConcurrentFetches = maxConcurrentFetches;
  }

  /** Loads the persisted cache and starts the refresh timer. */
  public Future<MtaStsPolicies> start(long refreshSeconds) {
    metrics.mtaStsPolicies(cache::size);
    return cache.load().map(loaded -> {
      LOG.info("MTA-STS: " + loaded + " cached policies loaded");
      refreshTimer = vertx.setPeriodic(refreshSeconds * 1000, id -> refreshDue());
      return this;
    });
  }

  public void stop() {
    if (refreshTimer >= 0) {
      vertx.cancelTimer(refreshTimer);
    }
  }

  @Override
  public Future<Optional<StsPolicy>> policy(String recipientDomain) {
    String domain = normalize(recipientDomain);
    Optional<CachedPolicy> local = cache.local(domain);
    return dns.txt("_mta-sts." + domain).compose(txt -> {
      Optional<StsRecord> record = txt.kind() == PolicyDns.Txt.Kind.RECORDS ? StsRecord.select(txt.texts())
          : Optional.empty();
      // Shared data costs milliseconds on a cluster: asked only for a domain that publishes MTA-STS.
      return local.isPresent() || record.isEmpty() ? decide(domain, local, record)
          : cache.shared(domain).compose(shared -> decide(domain, shared, record));
    }).map(p -> p.filter(c -> c.policy().mode() != StsPolicy.Mode.NONE).map(CachedPolicy::policy));
  }

  /** The policy lines of the domain's cached policy, for TLS-RPT's policy-string (RFC 8460 §4.4). */
  public Optional<List<String>> policyLines(String domain) {
    return cache.local(normalize(domain)).map(CachedPolicy::lines);
  }

  /** Resolves when the policy file holds every policy cached so far. */
  public Future<Void> flushed() {
    return cache.flushed();
  }

  private Future<Optional<CachedPolicy>> decide(String domain, Optional<CachedPolicy> cached,
                                                Optional<StsRecord> record) {
    if (cached.isPresent()) {
      if (record.isEmpty() || record.get().id().equals(cached.get().policy().id())) {
        return Future.succeededFuture(cached);
      }
      return fetch(domain, record.get().id()).map(Optional::of).otherwise(e -> {
        LOG.info("MTA-STS: " + domain + ": new policy id " + record.get().id() + " but the fetch failed ("
            + e.getMessage() + "); the cached policy stays in use");
        return cached;
      });
    }
    if (record.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    return fetch(domain, record.get().id()).map(Optional::of).otherwise(e -> {
      report(domain, e);
      return Optional.empty();
    });
  }

  /** One fetch per domain at a time; a successful one is cached. */
  private synchronized Future<CachedPolicy> fetch(String domain, String id) {
    Future<CachedPolicy> running = inFlight.get(domain);
    if (running != null) {
      return running;
    }
    if (inFlight.size() >= maxConcurrentFetches) {
      metrics.mtaStsFetch(TlsResultType.STS_POLICY_FETCH_ERROR.label());
      return Future.failedFuture(new FetchFailure(TlsResultType.STS_POLICY_FETCH_ERROR,
          "too many MTA-STS policy fetches in flight (outboundTls.mtaSts.maxConcurrentFetches = "
              + maxConcurrentFetches + ")"));
    }
    Future<CachedPolicy> fetch = fetcher.fetch(domain, id)
        .compose(policy -> cache.put(policy).otherwiseEmpty().map(policy))
        .onComplete(ar -> {
          synchronized (this) {
            inFlight.remove(domain);
          }
          metrics.mtaStsFetch(ar.succeeded() ? "ok" : typeOf(ar.cause()).label());
        });
    if (!fetch.isComplete()) {
      inFlight.put(domain, fetch);
    }
    return fetch;
  }

  /** Background refresh of policies past half their max_age (§10.2); failures keep the cached policy. */
  private void refreshDue() {
    for (CachedPolicy due : cache.dueForRefresh()) {
      if (fetching(due.domain())) {
        continue;
      }
      dns.txt("_mta-sts." + due.domain())
          .map(txt -> txt.kind() == PolicyDns.Txt.Kind.RECORDS ? StsRecord.select(txt.texts()) : Optional.<StsRecord>empty())
          .compose(record -> fetch(due.domain(), record.map(StsRecord::id).orElse(due.policy().id())))
          .onFailure(e -> LOG.info("MTA-STS: refreshing the policy of " + due.domain() + " failed ("
              + e.getMessage() + "); the cached one stays in use until it expires"));
    }
  }

  private synchronized boolean fetching(String domain) {
    return inFlight.containsKey(domain);
  }

  private void report(String domain, Throwable e) {
    TlsResultType type = typeOf(e);
    LOG.info("MTA-STS: " + domain + ": no policy in use: " + e.getMessage());
    HostTlsPolicy policy = new HostTlsPolicy(TlsLevel.VERIFY, PolicySource.MTA_STS, domain, false, List.of());
    reports.record(new TlsOutcome(policy, null, null, type, e.getMessage()));
  }

  private static TlsResultType typeOf(Throwable e) {
    return e instanceof FetchFailure f ? f.type() : TlsResultType.STS_POLICY_FETCH_ERROR;
  }

  static String normalize(String domain) {
    String d = domain.toLowerCase(Locale.ROOT);
    return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
  }
}
