package io.hermod.tlspolicy.rpt;

import io.hermod.api.Addresses;
import io.hermod.metrics.HermodMetrics;
import io.hermod.tlspolicy.web.HttpsClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Sends one report to one rua (RFC 8460 §5): {@code mailto:} → a message submitted on {@link Addresses#SUBMIT}
 * (request/reply: durably spooled, then delivered by Hermod like any other mail); {@code https:} → POST with
 * Content-Type application/tlsrpt+gzip, a 2xx answer being success (§5.4).
 */
final class ReportSender {

  private static final Logger LOG = Logger.getLogger(ReportSender.class.getName());
  static final String MEDIA_TYPE = "application/tlsrpt+gzip";
  private static final long POST_TIMEOUT_MILLIS = 30_000;

  private final Vertx vertx;
  private final HttpsClient https;
  private final HermodMetrics metrics;
  private final Clock clock;
  private final String submitter;
  private final String from;
  private final String hostname;

  ReportSender(Vertx vertx, HttpsClient https, HermodMetrics metrics, Clock clock, String submitter, String from,
               String hostname) {
    this.vertx = vertx;
    this.https = https;
    this.metrics = metrics;
    this.clock = clock;
    this.submitter = submitter;
    this.from = from;
    this.hostname = hostname;
  }

  /** Never fails: a failure is logged and counted. */
  Future<Void> send(ReportBuilder.Report report, URI rua) {
    boolean mail = rua.getScheme().toLowerCase(Locale.ROOT).equals("mailto");
    Future<?> sent = mail ? mail(report, rua.getSchemeSpecificPart()) : post(report, rua);
    return sent.transform(ar -> {
      metrics.tlsRptReport(mail ? "mail" : "https", ar.succeeded());
      if (ar.succeeded()) {
        LOG.info("TLS-RPT: report " + report.reportId() + " sent to " + rua);
      } else {
        LOG.warning("TLS-RPT: report " + report.reportId() + " to " + rua + " failed: " + ar.cause().getMessage());
      }
      return Future.succeededFuture();
    });
  }

  private Future<?> mail(ReportBuilder.Report report, String to) {
    String message = ReportMail.render(report, submitter, from, to, clock.instant().atZone(ZoneOffset.UTC), hostname);
    JsonObject request = new JsonObject().put("from", from).put("to", new JsonArray().add(to)).put("raw", message)
        .put("tag", "tlsrpt");
    return vertx.eventBus().request(Addresses.SUBMIT, request, Addresses.nodeLocal());
  }

  private Future<?> post(ReportBuilder.Report report, URI uri) {
    int port = uri.getPort() > 0 ? uri.getPort() : 443;
    String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    return https.post(uri.getHost(), port, path, MEDIA_TYPE, report.gzip(), POST_TIMEOUT_MILLIS)
        .compose(response -> response.status() / 100 == 2 ? Future.succeededFuture(response)
            : Future.failedFuture(new IllegalStateException(uri.getHost() + " answered HTTP " + response.status())));
  }
}
