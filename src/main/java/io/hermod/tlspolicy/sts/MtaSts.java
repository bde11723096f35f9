package io.hermod.tlspolicy.sts;

import io.hermod.config.MtaStsConfig;
import io.hermod.metrics.HermodMetrics;
import io.hermod.tlspolicy.TlsReportSink;
import io.hermod.tlspolicy.web.HttpsClient;
import io.hermod.tlspolicy.web.PolicyDns;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.time.Clock;

/** Builds {@link MtaStsPolicies} from the configuration: the cache file lives at {@code <spool>/mta-sts/}. */
public final class MtaSts {

  private MtaSts() {
  }

  public static MtaStsPolicies create(Vertx vertx, MtaStsConfig config, Path spoolDirectory, PolicyDns dns,
                                      HttpsClient https, TlsReportSink reports, HermodMetrics metrics, Clock clock) {
    PolicyFetcher fetcher = new PolicyFetcher(https, config.policyPort(), config.maxPolicyBytes(),
        config.fetchTimeoutMillis(), clock);
    PolicyCache cache = new PolicyCache(vertx, new PolicyFile(spoolDirectory.resolve("mta-sts").resolve("policies.json")),
        config.cacheSize(), clock);
    return new MtaStsPolicies(vertx, dns, fetcher, cache, reports, metrics, config.maxConcurrentFetches());
  }
}
