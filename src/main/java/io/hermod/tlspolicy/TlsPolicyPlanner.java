package io.hermod.tlspolicy;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Plans each MX host's TLS policy for the router (docs/security.md "Outbound TLS"): the configured levels
 * (outboundTls.level, outboundTls.policies), the recipient domain's MTA-STS policy and each MX host's DANE
 * answer, combined by {@link TlsPlanRules}. The sources are injected ({@link MtaStsSource#NONE} and
 * {@link DaneSource#NONE} when disabled). Lookups are asynchronous, each bounded by a timeout, at most one in
 * flight per domain or host, and remembered for a minute ({@link LookupMemo}); the sources cache for the
 * records' own lifetimes. Runs on the router's context.
 */
public final class TlsPolicyPlanner {

  /** How long one answer of a source is reused before the source is asked again. */
  static final long MEMO_MILLIS = 60_000;
  /** Most domains (and, separately, hosts) remembered. */
  static final int MEMO_ENTRIES = 10_000;
  /** A source that has not answered by then: the destination is deferred (4.4.3), never downgraded. */
  static final long LOOKUP_TIMEOUT_MILLIS = 30_000;

  private final MtaStsSource sts;
  private final DaneSource dane;
  private final LookupMemo<Optional<StsPolicy>> stsMemo;
  private final LookupMemo<DaneAnswer> daneMemo;
  private TlsLevel defaultLevel;
  private TlsPolicyMap policies;

  public TlsPolicyPlanner(TlsLevel defaultLevel, TlsPolicyMap policies, MtaStsSource sts, DaneSource dane) {
    this.defaultLevel = defaultLevel;
    this.policies = policies;
    this.sts = sts;
    this.dane = dane;
    this.stsMemo = new LookupMemo<>(MEMO_MILLIS, MEMO_ENTRIES, System::currentTimeMillis);
    this.daneMemo = new LookupMemo<>(MEMO_MILLIS, MEMO_ENTRIES, System::currentTimeMillis);
  }

  /** Only configured levels: no MTA-STS, no DANE (tests, and a node with both off). */
  public static TlsPolicyPlanner configured(TlsLevel defaultLevel, TlsPolicyMap policies) {
    return new TlsPolicyPlanner(defaultLevel, policies, MtaStsSource.NONE, DaneSource.NONE);
  }

  /** A reloaded configuration's levels; the remembered lookups stay. */
  public void reconfigure(TlsLevel level, TlsPolicyMap map) {
    this.defaultLevel = level;
    this.policies = map;
  }

  /**
   * The plan for mail to {@code domain} over its MX hosts (RFC 5321 §5.1 route): never fails; a lookup that
   * failed or timed out gives a {@link TlsPlan.Blocked} (or skips that host), never a weaker policy.
   *
   * @param mxHosts the MX host names in preference order (repeats allowed)
   * @param port    the port delivery connects to (TLSA records are at _port._tcp.host)
   */
  public Future<TlsPlan> plan(String domain, List<String> mxHosts, int port) {
    List<String> hosts = new ArrayList<>(new LinkedHashSet<>(mxHosts.stream().map(TlsPolicyMap::normalise).toList()));
    TlsLevel configured = policies.lookup(domain);
    TlsLevel level = defaultLevel;
    if (configured != null && configured != TlsLevel.DANE && configured != TlsLevel.DANE_ONLY) {
      return Future.succeededFuture(TlsPlanRules.decide(domain, hosts, configured, level, Optional.empty(), Map.of()));
    }
    Future<Optional<StsPolicy>> policy = configured == null
        ? stsMemo.get(TlsPolicyMap.normalise(domain), d -> bounded(sts.policy(d)))
        : Future.succeededFuture(Optional.empty());
    Map<String, DaneAnswer> answers = new HashMap<>();
    List<Future<DaneAnswer>> lookups = new ArrayList<>();
    for (String host : hosts) {
      lookups.add(daneMemo.get(port + " " + host, k -> bounded(dane.tlsa(host, port)))
          .onSuccess(a -> answers.put(host, a)));
    }
    return Future.join(lookups).transform(x -> policy.transform(p -> {
      if (p.failed()) {
        return Future.succeededFuture(new TlsPlan.Blocked(TlsPlanRules.LOOKUP_STATUS,
            "MTA-STS: the policy lookup for " + domain + " failed: " + p.cause().getMessage()));
      }
      return Future.succeededFuture(TlsPlanRules.decide(domain, hosts, configured, level, p.result(), answers));
    }));
  }

  /**
   * The plan for a configured next hop ("[host]:port" or "host:port", docs/routing.md): its
   * outboundTls.policies entry or outboundTls.level; MTA-STS and DANE are about recipient domains' MX hosts.
   */
  public TlsPlan planNextHop(String destination, List<String> hosts) {
    TlsLevel configured = policies.lookup(destination);
    TlsLevel level = configured != null ? configured : defaultLevel;
    // Without a DANE lookup, dane is opportunistic and dane-only cannot be met (TlsPlanRules).
    Map<String, DaneAnswer> insecure = new HashMap<>();
    hosts.forEach(h -> insecure.put(TlsPolicyMap.normalise(h), DaneAnswer.INSECURE));
    return TlsPlanRules.decide(destination, hosts, configured, level, Optional.empty(), insecure);
  }

  private static <T> Future<T> bounded(Future<T> lookup) {
    return lookup.timeout(LOOKUP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
  }
}
