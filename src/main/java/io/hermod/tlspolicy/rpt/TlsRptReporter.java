package io.hermod.tlspolicy.rpt;

import io.hermod.metrics.HermodMetrics;
import io.hermod.tlspolicy.PolicySource;
import io.hermod.tlspolicy.Tlsa;
import io.hermod.tlspolicy.TlsOutcome;
import io.hermod.tlspolicy.TlsReportSink;
import io.hermod.tlspolicy.web.PolicyDns;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.Lock;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * TLS-RPT (RFC 8460): counts each TLS outcome under its policy, and sends one report per policy domain and
 * period to the domain's rua.
 *
 * <p>Across a cluster (docs/security.md "TLS-RPT"): periods are aligned to the epoch, so every node's period
 * ends at the same moment. When one has ended, each node adds its counts of it into the shared-data map
 * {@value #COUNTS_MAP} (cluster-wide on a clustered Vert.x, under the lock {@value #MERGE_LOCK}). A little later
 * (two ticks, time for every node to have merged) the node that gets the lock {@value #SEND_LOCK} takes each
 * ended period out of the map and sends its reports: one report per policy domain and period, whichever node
 * sends it, with a report-id that does not depend on the node. Counts a node merges after its period was sent
 * make a further, smaller report.
 *
 * <p>{@link #record} is called on delivery event loops: it only counts, under a lock, in memory.
 */
public final class TlsRptReporter implements TlsReportSink {

  static final String COUNTS_MAP = "hermod.tlsrpt.counts";
  static final String MERGE_LOCK = "hermod.tlsrpt.merge";
  static final String SEND_LOCK = "hermod.tlsrpt.send";
  private static final Logger LOG = Logger.getLogger(TlsRptReporter.class.getName());
  private static final int MAX_REASON = 200;

  private final Vertx vertx;
  private final long intervalSeconds;
  private final int maxPolicies;
  private final ReportBuilder builder;
  private final ReportSender sender;
  private final PolicyDns dns;
  private final Function<String, Optional<List<String>>> stsPolicyLines;
  private final HermodMetrics metrics;
  private final Clock clock;
  private final long tickMillis;
  private SessionCounts current;
  private long currentStart;
  private final List<JsonObject> ended = new ArrayList<>();
  private long timer = -1;
  private boolean ticking;

  /**
   * @param stsPolicyLines the lines of a domain's cached MTA-STS policy (the report's policy-string)
   */
  TlsRptReporter(Vertx vertx, long intervalSeconds, int maxPolicies, ReportBuilder builder, ReportSender sender,
                 PolicyDns dns, Function<String, Optional<List<String>>> stsPolicyLines, HermodMetrics metrics,
                 Clock clock) {
    this.vertx = vertx;
    this.intervalSeconds = intervalSeconds;
    this.maxPolicies = maxPolicies;
    this.builder = builder;
    this.sender = sender;
    this.dns = dns;
    this.stsPolicyLines = stsPolicyLines;
    this.metrics = metrics;
    this.clock = clock;
    // A quarter of the period, between 250 ms and one minute: how late a period's end is noticed.
    this.tickMillis = Math.max(250, Math.min(60_000, intervalSeconds * 1000 / 4));
    this.currentStart = periodStart(clock.instant().getEpochSecond());
    this.current = new SessionCounts(maxPolicies);
  }

  public TlsRptReporter start() {
    timer = vertx.setPeriodic(tickMillis, id -> tick());
    return this;
  }

  /** Stops the timer and merges this node's counts so far into the shared map (another node may report them). */
  public Future<Void> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    synchronized (this) {
      if (!current.isEmpty()) {
        ended.add(periodJson(currentStart, current));
        current = new SessionCounts(maxPolicies);
      }
    }
    return mergeEnded();
  }

  @Override
  public void record(TlsOutcome outcome) {
    String domain = outcome.policy().policyDomain();
    if (domain == null) {
      return;
    }
    PolicyKey policy = policyOf(outcome, domain);
    FailureKey failure = outcome.succeeded() ? null : new FailureKey(outcome.failure().label(), outcome.mxHost(),
        outcome.address(), reason(outcome.detail()));
    boolean counted;
    synchronized (this) {
      rotate(clock.instant().getEpochSecond());
      counted = current.add(policy, failure);
    }
    metrics.tlsRptSession(outcome.succeeded(), counted);
  }

  private PolicyKey policyOf(TlsOutcome outcome, String domain) {
    PolicySource source = outcome.policy().source();
    if (source == PolicySource.MTA_STS) {
      List<String> lines = stsPolicyLines.apply(domain).orElse(List.of());
      List<String> mx = lines.stream().filter(l -> l.startsWith("mx:")).map(l -> l.substring(3).strip()).toList();
      return new PolicyKey("sts", domain, lines, mx);
    }
    if (source == PolicySource.DANE) {
      List<String> records = outcome.policy().tlsa().stream().map(Tlsa::toString).toList();
      return new PolicyKey("tlsa", domain, records, outcome.mxHost() == null ? List.of() : List.of(outcome.mxHost()));
    }
    return new PolicyKey("no-policy-found", domain, List.of(), List.of());
  }

  private static String reason(String detail) {
    if (detail == null) {
      return null;
    }
    return detail.length() > MAX_REASON ? detail.substring(0, MAX_REASON) : detail;
  }

  long periodStart(long epochSecond) {
    return epochSecond - Math.floorMod(epochSecond, intervalSeconds);
  }

  /** Under the lock: a period that has ended moves to {@link #ended}. */
  private void rotate(long now) {
    long start = periodStart(now);
    if (start != currentStart) {
      if (!current.isEmpty()) {
        ended.add(periodJson(currentStart, current));
      }
      current = new SessionCounts(maxPolicies);
      currentStart = start;
    }
  }

  private JsonObject periodJson(long start, SessionCounts counts) {
    return counts.toJson().put("start", start).put("end", start + intervalSeconds);
  }

  /** One tick at a time: merge what ended, then send what every node has had time to merge. */
  void tick() {
    if (ticking) {
      return;
    }
    ticking = true;
    synchronized (this) {
      rotate(clock.instant().getEpochSecond());
    }
    mergeEnded().compose(v -> sendDue()).onComplete(ar -> {
      ticking = false;
      if (ar.failed()) {
        LOG.warning("TLS-RPT: " + ar.cause());
      }
    });
  }

  private Future<Void> mergeEnded() {
    List<JsonObject> periods;
    synchronized (this) {
      periods = new ArrayList<>(ended);
      ended.clear();
    }
    Future<Void> chain = Future.succeededFuture();
    for (JsonObject period : periods) {
      chain = chain.compose(v -> merge(period));
    }
    return chain;
  }

  /** Adds one ended period's counts into the shared map, under the cluster-wide merge lock. */
  private Future<Void> merge(JsonObject period) {
    String key = period.getLong("start") + "-" + period.getLong("end");
    return vertx.sharedData().getLockWithTimeout(MERGE_LOCK, 10_000).compose(lock -> counts()
        .compose(map -> map.get(key).compose(existing -> {
          SessionCounts merged = new SessionCounts(maxPolicies);
          if (existing != null) {
            merged.merge(new JsonObject(existing));
          }
          merged.merge(period);
          return map.put(key, merged.toJson().put("start", period.getLong("start"))
              .put("end", period.getLong("end")).encode());
        }))
        .eventually(() -> {
          lock.release();
          return Future.succeededFuture();
        }));
  }

  /** Periods ended two ticks ago or more are taken out of the map and reported by the node holding the lock. */
  private Future<Void> sendDue() {
    long now = clock.millis();
    return vertx.sharedData().getLockWithTimeout(SEND_LOCK, 100).transform(got -> {
      if (got.failed()) {
        return Future.succeededFuture(); // another node is sending
      }
      Lock lock = got.result();
      return counts().compose(map -> map.keys().compose(keys -> {
        Future<Void> chain = Future.succeededFuture();
        for (String key : keys) {
          long end = Long.parseLong(key.substring(key.indexOf('-') + 1));
          if (end * 1000 + 2 * tickMillis <= now) {
            chain = chain.compose(v -> map.remove(key)).compose(text -> text == null ? Future.succeededFuture()
                : report(new JsonObject(text)));
          }
        }
        return chain;
      })).eventually(() -> {
        lock.release();
        return Future.succeededFuture();
      });
    });
  }

  /** One report per policy domain of the period, to every rua of the domain's _smtp._tls record. */
  private Future<Void> report(JsonObject period) {
    SessionCounts counts = new SessionCounts(maxPolicies);
    counts.merge(period);
    long start = period.getLong("start");
    long end = period.getLong("end");
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<String, JsonArray> domain : counts.policiesByDomain().entrySet()) {
      ReportBuilder.Report report = builder.build(domain.getKey(), start, end, domain.getValue());
      chain = chain.compose(v -> send(report));
    }
    return chain;
  }

  private Future<Void> send(ReportBuilder.Report report) {
    return dns.txt("_smtp._tls." + report.policyDomain()).compose(txt -> {
      Optional<TlsRptRecord> record = txt.kind() == PolicyDns.Txt.Kind.RECORDS
          ? TlsRptRecord.select(txt.texts()) : Optional.empty();
      if (record.isEmpty()) {
        LOG.fine("TLS-RPT: " + report.policyDomain() + " asks for no reports");
        return Future.succeededFuture();
      }
      Future<Void> chain = Future.succeededFuture();
      for (URI rua : record.get().rua()) {
        chain = chain.compose(v -> sender.send(report, rua));
      }
      return chain;
    });
  }

  private Future<AsyncMap<String, String>> counts() {
    return vertx.sharedData().getAsyncMap(COUNTS_MAP);
  }
}
