package io.hermod.tlspolicy.wiring;

import io.hermod.config.HermodConfig;
import io.hermod.config.OutboundTlsConfig;
import io.hermod.metrics.HermodMetrics;
import io.hermod.routing.DnsClient;
import io.hermod.tlspolicy.MtaStsSource;
import io.hermod.tlspolicy.TlsReportSink;
import io.hermod.tlspolicy.rpt.TlsRpt;
import io.hermod.tlspolicy.rpt.TlsRptReporter;
import io.hermod.tlspolicy.sts.MtaSts;
import io.hermod.tlspolicy.sts.MtaStsPolicies;
import io.hermod.tlspolicy.web.DnsjavaPolicyDns;
import io.hermod.tlspolicy.web.HttpsClient;
import io.hermod.tlspolicy.web.PolicyDns;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * MTA-STS and TLS-RPT as one Hermod runs them (outboundTls.mtaSts, outboundTls.tlsRpt): each one
 * {@code NONE} when off. Started once, with the configuration Hermod started with (the keys need a restart).
 */
public final class StsAndRpt {

  private final HttpsClient https;
  private final MtaStsPolicies mtaSts;
  private final TlsRptReporter reporter;

  private StsAndRpt(HttpsClient https, MtaStsPolicies mtaSts, TlsRptReporter reporter) {
    this.https = https;
    this.mtaSts = mtaSts;
    this.reporter = reporter;
  }

  /** Loads the policy cache and starts the timers of what is enabled. */
  public static Future<StsAndRpt> start(Vertx vertx, HermodConfig config, DnsClient dnsClient, HermodMetrics metrics) {
    OutboundTlsConfig tls = config.outboundTls();
    if (!tls.mtaSts().enabled() && !tls.tlsRpt().enabled()) {
      return Future.succeededFuture(new StsAndRpt(null, null, null));
    }
    PolicyDns dns = new DnsjavaPolicyDns(vertx, dnsClient);
    // outboundTls.mtaSts.caFile, else the CAs the delivery client's verify trusts (outboundTls.caFile), else the JDK's.
    HttpsClient https = new HttpsClient(vertx, dns, tls.mtaSts().caFile() != null ? tls.mtaSts().caFile()
        : tls.caFile());
    Clock clock = Clock.systemUTC();
    MtaStsPolicies[] sts = new MtaStsPolicies[1]; // the reporter reads policy lines of the source made after it
    TlsRptReporter reporter = tls.tlsRpt().enabled()
        ? TlsRpt.create(vertx, tls.tlsRpt(), config.hostname(), dns, https,
            domain -> sts[0] == null ? Optional.<List<String>>empty() : sts[0].policyLines(domain), metrics, clock)
            .start()
        : null;
    if (!tls.mtaSts().enabled()) {
      return Future.succeededFuture(new StsAndRpt(https, null, reporter));
    }
    sts[0] = MtaSts.create(vertx, tls.mtaSts(), Path.of(config.spool().directory()), dns, https,
        reporter == null ? TlsReportSink.NONE : reporter, metrics, clock);
    return sts[0].start(tls.mtaSts().refreshSeconds()).map(s -> new StsAndRpt(https, s, reporter));
  }

  /** For the router's TLS policy planner. */
  public MtaStsSource mtaSts() {
    return mtaSts == null ? MtaStsSource.NONE : mtaSts;
  }

  /** For the delivery client's TLS outcomes. */
  public TlsReportSink reports() {
    return reporter == null ? TlsReportSink.NONE : reporter;
  }

  public Future<Void> stop() {
    if (mtaSts != null) {
      mtaSts.stop();
    }
    Future<Void> merged = reporter == null ? Future.succeededFuture() : reporter.stop();
    Future<Void> flushed = mtaSts == null ? Future.succeededFuture() : mtaSts.flushed();
    return Future.join(merged, flushed).eventually(() -> {
      if (https != null) {
        https.close();
      }
      return Future.succeededFuture();
    }).mapEmpty();
  }
}
