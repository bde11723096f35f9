package io.hermod.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.auth.Verification;
import io.hermod.metrics.HermodMetrics;
import io.hermod.metrics.RejectReason;
import io.hermod.tls.Handshake;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every hermod_* series the Grafana dashboard (k8s/grafana-dashboard.json) queries exists in a scrape where every
 * Hermod meter has been used once, and every Hermod metric family has exactly one HELP line.
 */
class MetricsDashboardNamesTest {

  private static final Pattern NAME = Pattern.compile("\\bhermod_[a-z_]+");

  @Test
  void theDashboardQueriesOnlyMetricsHermodHas() throws Exception {
    String scrape = everyMeterOnce();
    Set<String> series = new TreeSet<>();
    Matcher s = Pattern.compile("(?m)^(hermod_[a-z_]+)[{ ]").matcher(scrape);
    while (s.find()) {
      series.add(s.group(1));
    }
    Set<String> queried = new TreeSet<>();
    Matcher q = NAME.matcher(Files.readString(Path.of("k8s/grafana-dashboard.json")));
    while (q.find()) {
      queried.add(q.group());
    }
    assertTrue(!queried.isEmpty(), "the dashboard queries Hermod metrics");
    Set<String> unknown = new TreeSet<>(queried);
    unknown.removeAll(series);
    assertEquals(Set.of(), unknown, "dashboard metrics missing from /metrics; Hermod has " + series);

    Matcher help = Pattern.compile("(?m)^# HELP (hermod_[a-z_]+) \\S").matcher(scrape);
    Set<String> described = new TreeSet<>();
    while (help.find()) {
      assertTrue(described.add(help.group(1)), "HELP twice for " + help.group(1));
    }
    assertTrue(described.containsAll(Set.of("hermod_queue_messages", "hermod_shaping_suspensions_total",
        "hermod_smtp_sessions", "hermod_delivery_duration_seconds")), described.toString());
  }

  /** A Prometheus scrape after every Hermod meter was used once (also used by MetricsDocTest). */
  static String everyMeterOnce() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HermodMetrics m = new HermodMetrics(registry);
    m.sessions("mx").incrementAndGet();
    m.connection("mx", true);
    m.command("EHLO", 250);
    m.messageAccepted(100);
    m.messageRejected(RejectReason.RELAY);
    m.authFailure();
    m.login("plain", true, Verification.CACHED);
    m.tlsHandshake("TLSv1.3", Handshake.RESUMED);
    m.spoolUsage(() -> 1, () -> 100);
    m.queueActive(() -> 0);
    m.queueMessages(state -> 0);
    m.queueBulkJobs(() -> 0);
    m.deliveryOutcome("delivered", "2.0.0", Duration.ofSeconds(1));
    m.deliveryDuration(1_000_000);
    m.deliveryTls("mta-sts", "verified");
    m.shapingDecision("suspend", "provider:google");
    m.shapingRefused("dead");
    m.siteDied();
    m.dnsLookup("ok", 1_000_000);
    m.dnsQuerySent("127.0.0.1:53", true);
    m.dnsQueryTimedOut("127.0.0.1:53");
    m.dnsResolverLoad("127.0.0.1:53", () -> 1, () -> 0);
    m.daneLookup("usable");
    m.flowState(() -> 0, () -> 0);
    m.flowDelayed("smtp");
    m.eventJournal(() -> 4096, () -> 10);
    m.journalAppended(3);
    m.journalRetired(2);
    m.journalAppendFailed("queue_full");
    m.journalWriteError();
    m.cursorLag("billing", () -> 5);
    m.webhookPost("billing", "2xx");
    m.webhookEvents("billing", 3);
    m.webhookSkipped("billing", 1);
    m.webhookState("billing", () -> 0, () -> 0);
    m.mtaStsFetch("ok");
    m.mtaStsPolicies(() -> 1);
    m.tlsRptSession(true, true);
    m.tlsRptSession(false, false);
    m.tlsRptReport("mail", true);
    return registry.scrape();
  }
}
