package io.hermod.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hermod.async.AsyncLoop;
import io.hermod.config.ConfigLoader;
import io.hermod.config.HermodConfig;
import io.hermod.metrics.HermodMetrics;
import io.hermod.queue.QueueIndex;
import io.hermod.server.ServerContext;
import io.hermod.smtp.BodyType;
import io.hermod.smtp.DsnRet;
import io.hermod.spool.Envelope;
import io.hermod.spool.FileSpool;
import io.hermod.spool.MessageWriter;
import io.hermod.spool.Recipient;
import io.hermod.spool.Spool;
import io.hermod.testing.IndexedSpool;
import io.hermod.testing.TestHermod;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * The ops verticle alone (no router, no listeners) on a real FileSpool in {@code spoolDir}, with a QueueIndex
 * that follows the spool ({@link IndexedSpool}): the queue admin and bulk jobs as they run inside Hermod.
 * Close and start again on the same directory for a restart.
 */
final class OpsFixture implements AutoCloseable {

  private static final Buffer BODY = Buffer.buffer("Subject: deep\r\n\r\n" + "x".repeat(1000) + "\r\n");

  final Vertx vertx = Vertx.vertx();
  final QueueIndex index = new QueueIndex();
  final IndexedSpool spool;
  final Http http;
  private final String deployment;

  private OpsFixture(Path spoolDir, JsonObject overrides, UnaryOperator<Spool> decorate) {
    HermodConfig config = ConfigLoader.fromJson(TestHermod.baseConfig(spoolDir).mergeIn(overrides, true));
    spool = new IndexedSpool(decorate.apply(new FileSpool(vertx, config.spool())), index);
    Readiness readiness = new Readiness(spool, new ServerContext.Drain());
    QueueAdmin admin = new QueueAdmin(spool, index, Clock.systemUTC(), id -> false, id -> { },
        id -> Future.failedFuture("no router"));
    BulkJobs jobs = new BulkJobs(spoolDir.resolve("bulk"), admin, Clock.systemUTC());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OpsHttpVerticle verticle = new OpsHttpVerticle(config.http(), registry, readiness, admin, jobs,
        new HermodMetrics(registry));
    deployment = vertx.deployVerticle(verticle).await();
    spool.recover().await();
    readiness.recovered();
    http = new Http(verticle.actualPort(), config.http().adminToken());
  }

  static OpsFixture start(Path spoolDir) {
    return new OpsFixture(spoolDir, new JsonObject(), s -> s);
  }

  /** With the FileSpool behind {@code decorate} (e.g. one whose updates stop completing: a crash mid-job). */
  static OpsFixture start(Path spoolDir, UnaryOperator<Spool> decorate) {
    return new OpsFixture(spoolDir, new JsonObject(), decorate);
  }

  /** With configuration {@code overrides} (e.g. http.adminToken). */
  static OpsFixture start(Path spoolDir, JsonObject overrides) {
    return new OpsFixture(spoolDir, overrides, s -> s);
  }

  /**
   * Queues {@code n} messages of about 1 KiB, from s{i%3}@client.test to {@code recipient(i)}, deferred for an
   * hour; 64 commits in flight so that they share fsyncs. Their ids, in order.
   */
  List<String> queue(int n, IntFunction<String> recipient) {
    List<String> ids = Collections.synchronizedList(new ArrayList<>(Collections.nCopies(n, (String) null)));
    Promise<Void> done = Promise.promise();
    Instant now = Instant.now();
    vertx.runOnContext(v -> {
      AsyncLoop.forEach(IntStream.range(0, n).iterator(), 64, i -> {
        Envelope env = new Envelope(spool.newId(), "s" + (i % 3) + "@client.test",
            List.of(Recipient.pending(recipient.apply(i), null, Set.of())), null, DsnRet.HDRS, BodyType.SEVEN_BIT,
            false, "127.0.0.1", "client.test", null, "mx", now, 0, now.plusSeconds(3600), false, false);
        MessageWriter writer = spool.begin(env);
        return writer.write(BODY).compose(x -> writer.commit(env)).map(stored -> {
          ids.set(i, stored.id());
          return true;
        });
      }).onComplete(done);
    });
    done.future().await();
    return new ArrayList<>(ids);
  }

  /** GET, expecting 200: the JSON answer. */
  JsonObject get(String path) throws Exception {
    return ok(http.get(path), 200);
  }

  static JsonObject ok(HttpResponse<String> r, int status) {
    assertEquals(status, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  String url() {
    return "http://127.0.0.1:" + http.port();
  }

  @Override
  public void close() {
    try {
      vertx.undeploy(deployment).await();
      spool.close().await();
    } finally {
      vertx.close().await();
    }
  }
}
