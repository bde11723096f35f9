package io.hermod.tlspolicy.rpt;

import io.hermod.config.TlsRptConfig;
import io.hermod.metrics.HermodMetrics;
import io.hermod.tlspolicy.web.HttpsClient;
import io.hermod.tlspolicy.web.PolicyDns;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Builds a {@link TlsRptReporter} from the configuration. */
public final class TlsRpt {

  private TlsRpt() {
  }

  /** @param stsPolicyLines the lines of a domain's cached MTA-STS policy, for the reports' policy-string */
  public static TlsRptReporter create(Vertx vertx, TlsRptConfig config, String hostname, PolicyDns dns,
                                      HttpsClient https, Function<String, Optional<List<String>>> stsPolicyLines,
                                      HermodMetrics metrics, Clock clock) {
    String submitter = config.submitter(hostname);
    ReportBuilder builder = new ReportBuilder(config.organizationName(hostname), config.contactInfo(hostname),
        submitter);
    ReportSender sender = new ReportSender(vertx, https, metrics, clock, submitter, config.from(hostname), hostname);
    return new TlsRptReporter(vertx, config.intervalSeconds(), config.maxPolicies(), builder, sender, dns,
        stsPolicyLines, metrics, clock);
  }
}
