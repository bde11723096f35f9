package io.hermod.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.server.ServerContext;
import io.hermod.spool.FileSpool;
import io.hermod.spool.Spool;
import io.hermod.testing.SmtpLineClient;
import io.hermod.testing.TestHermod;
import io.hermod.config.ConfigLoader;
import io.hermod.config.HermodConfig;
import io.hermod.metrics.HermodMetrics;
import io.hermod.queue.QueueIndex;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** /metrics after real SMTP traffic, and the health probes through start-up, normal running and draining. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsAndHealthTest {

  @TempDir
  Path temp;

  @Test
  void metricsMoveWithOneMessage() throws Exception {
    try (TestHermod h = TestHermod.start(temp, new JsonObject())) {
      Http http = new Http(h.httpPort(), null);
      Mail.send(h, "alice@client.example", "bob@local.test");
      HttpResponse<String> r = http.get("/metrics");
      assertEquals(200, r.statusCode());
      assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
      String text = r.body();
      assertTrue(value(text, "hermod_messages_accepted_total", "") >= 1, text);
      assertTrue(value(text, "hermod_bytes_received_total", "") > 0, text);
      assertEquals(1.0, value(text, "hermod_smtp_commands_total", "reply=\"2xx\",verb=\"EHLO\""), text);
      assertEquals(1.0, value(text, "hermod_smtp_commands_total", "reply=\"3xx\",verb=\"DATA\""), text);
      assertEquals(1.0, value(text, "hermod_smtp_connections_total", "listener=\"mx\",result=\"accepted\""), text);
      assertTrue(value(text, "hermod_spool_messages", "") >= 1, text); // local recipient: it stays queued
      assertTrue(text.contains("# HELP hermod_smtp_sessions Open SMTP sessions"), text);
    }
  }

  @Test
  void refusedRelayIsCountedByReason() throws Exception {
    try (TestHermod h = TestHermod.start(temp, new JsonObject().put("trustedNetworks", new io.vertx.core.json.JsonArray()));
         SmtpLineClient c = SmtpLineClient.connect("127.0.0.1", h.port())) {
      c.expect(220);
      c.send("EHLO client.example").expect(250);
      c.send("MAIL FROM:<a@client.example>").expect(250);
      c.send("RCPT TO:<x@elsewhere.example>").expect(554);
      String text = new Http(h.httpPort(), null).get("/metrics").body();
      assertEquals(1.0, value(text, "hermod_messages_rejected_total", "reason=\"relay\""), text);
      assertEquals(1.0, value(text, "hermod_smtp_commands_total", "reply=\"5xx\",verb=\"RCPT\""), text);
    }
  }

  @Test
  void readyAfterStartAndNotWhileDraining() throws Exception {
    TestHermod h = TestHermod.start(temp, new JsonObject().put("shutdownGraceSeconds", 10));
    try {
      Http http = new Http(h.httpPort(), null);
      assertEquals(200, http.get("/health/live").statusCode());
      assertEquals(200, http.get("/health/ready").statusCode());
      try (SmtpLineClient c = SmtpLineClient.connect("127.0.0.1", h.port())) {
        c.expect(220);
        c.send("EHLO client.example").expect(250);
        c.send("MAIL FROM:<a@client.example>").expect(250); // a transaction in flight keeps the grace period open
        Future<Void> stopping = h.hermod.stop();
        HttpResponse<String> ready = http.get("/health/ready");
        assertEquals(503, ready.statusCode());
        assertTrue(new JsonObject(ready.body()).getString("reason").startsWith("draining"), ready.body());
        assertEquals(200, http.get("/health/live").statusCode());
        c.send("QUIT");
        c.readReply();
        c.close();
        stopping.await(20, TimeUnit.SECONDS);
      }
    } finally {
      h.vertx.close().await();
    }
  }

  /** Before recovery: not ready, and the admin API refuses; after it: ready. */
  @Test
  void notReadyBeforeSpoolRecovery() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      HermodConfig config = ConfigLoader.fromJson(TestHermod.baseConfig(temp.resolve("spool")));
      Spool spool = new FileSpool(vertx, config.spool());
      Readiness readiness = new Readiness(spool, new ServerContext.Drain());
      QueueAdmin admin = new QueueAdmin(spool, new QueueIndex(), Clock.systemUTC(), id -> false, id -> { },
          id -> Future.failedFuture("no router"));
      OpsHttpVerticle verticle = new OpsHttpVerticle(config.http(),
          new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), readiness, admin,
          new BulkJobs(temp.resolve("spool").resolve("bulk"), admin, Clock.systemUTC()), HermodMetrics.noop());
      vertx.deployVerticle(verticle).await();
      Http http = new Http(verticle.actualPort(), null);
      HttpResponse<String> before = http.get("/health/ready");
      assertEquals(503, before.statusCode());
      assertTrue(new JsonObject(before.body()).getString("reason").startsWith("starting"), before.body());
      assertEquals(503, http.get("/queue").statusCode());
      assertEquals(200, http.get("/health/live").statusCode());

      spool.recover().await();
      readiness.recovered();
      assertEquals(200, http.get("/health/ready").statusCode());
      assertEquals(200, http.get("/queue").statusCode());
      spool.close().await();
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void noopMetricsCountNothingVisible() {
    HermodMetrics noop = HermodMetrics.noop();
    noop.messageAccepted(10);
    assertTrue(noop.registry().find("hermod.messages.accepted").counters().stream()
        .allMatch(c -> c.count() == 0));
  }

  /** The value of one sample line "name{labels} value" (labels as Prometheus sorts them; "" for none). */
  static double value(String text, String name, String labels) {
    String series = labels.isEmpty() ? Pattern.quote(name) + "(\\{\\})?" : Pattern.quote(name + "{" + labels + "}");
    Matcher m = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(m.groupCount())) : -1;
  }
}
