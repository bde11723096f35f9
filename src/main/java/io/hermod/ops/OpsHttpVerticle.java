package io.hermod.ops;

import io.hermod.api.Addresses;

import io.hermod.config.HttpConfig;
import io.hermod.metrics.HermodMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.logging.Logger;

/**
 * The operations HTTP server (vertx-core's HttpServer, no router library): {@code GET /metrics},
 * {@code GET /health/live}, {@code GET /health/ready} and the queue admin API under {@code /queue}, bulk jobs
 * under {@code /queue/bulk} (docs/operations.md). Only the admin API needs the bearer token; probes and metrics
 * never do.
 */
public final class OpsHttpVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(OpsHttpVerticle.class.getName());
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final int DEFAULT_LIST_LIMIT = 1000;
  private static final int DEFAULT_SUMMARY_ROWS = 1000;

  private final HttpConfig config;
  private final PrometheusMeterRegistry registry;
  private final Readiness readiness;
  private final QueueAdmin admin;
  private final BulkJobs jobs;
  private HttpServer server;

  /**
   * @param jobs    bulk actions, resumed once {@code readiness} says the spool is recovered
   * @param metrics where hermod_queue_messages (from the admin's index) and hermod_queue_bulk_jobs go
   */
  public OpsHttpVerticle(HttpConfig config, PrometheusMeterRegistry registry, Readiness readiness, QueueAdmin admin,
                         BulkJobs jobs, HermodMetrics metrics) {
    this.config = config;
    this.registry = registry;
    this.readiness = readiness;
    this.admin = admin;
    this.jobs = jobs;
    new QueueCensus(admin.index(), Clock.systemUTC(), metrics);
    metrics.queueBulkJobs(jobs::running);
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port())
        .setMaxInitialLineLength(2048).setMaxHeaderSize(8192));
    server.requestHandler(this::handle);
    return server.listen().onSuccess(s -> LOG.info("operations http (metrics, health, queue admin) on "
        + config.host() + ":" + s.actualPort()))
        .recover(e -> Future.failedFuture(new IllegalStateException("operations http server on " + config.host()
            + ":" + config.port() + ": " + e.getMessage() + " (http.host, http.port; http.enabled false turns it off)",
            e)))
        .compose(s -> jobs.start(vertx, readiness.whenRecovered()));
  }

  /** The bound port (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    jobs.stop();
    return server.close();
  }

  private void handle(HttpServerRequest req) {
    String path = req.path();
    if (path.equals("/metrics") && req.method() == HttpMethod.GET) {
      req.response().putHeader("content-type", PROMETHEUS_TEXT).end(registry.scrape());
    } else if (path.equals("/health/live") && req.method() == HttpMethod.GET) {
      // Answered from an event loop: a reply means the loops run (a blocked loop would time the probe out).
      json(req, 200, new JsonObject().put("status", "live"));
    } else if (path.equals("/health/ready") && req.method() == HttpMethod.GET) {
      readiness.notReadyReason().ifPresentOrElse(
          why -> json(req, 503, new JsonObject().put("status", "not ready").put("reason", why)),
          () -> json(req, 200, new JsonObject().put("status", "ready")));
    } else if (path.equals("/queue") || path.startsWith("/queue/")) {
      queue(req, path);
    } else {
      error(req, 404, "no such endpoint");
    }
  }

  private void queue(HttpServerRequest req, String path) {
    if (!authorized(req)) {
      req.response().putHeader("www-authenticate", "Bearer realm=\"hermod\"");
      error(req, 401, "missing or wrong bearer token");
      return;
    }
    if (!readiness.isRecovered()) {
      error(req, 503, "spool recovery not finished");
      return;
    }
    String[] parts = path.substring(1).split("/", -1); // "queue", id, action
    HttpMethod m = req.method();
    boolean accepted = parts.length == 2 && parts[1].equals("bulk") && m == HttpMethod.POST;
    Future<JsonObject> result;
    try {
      result = route(req, parts, m);
    } catch (AdminException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        json(req, accepted ? 202 : 200, ar.result());
      } else if (ar.cause() instanceof AdminException e) {
        error(req, e.status, e.getMessage());
      } else {
        LOG.warning("queue admin " + m + " " + path + " failed: " + ar.cause());
        error(req, 500, "spool operation failed: " + ar.cause().getMessage());
      }
    });
  }

  private Future<JsonObject> route(HttpServerRequest req, String[] parts, HttpMethod m) {
    if (parts.length == 1 && m == HttpMethod.GET) {
      return admin.list(QueueFilter.parse(req::getParam), cursor(req.getParam("cursor")),
          number(req.getParam("limit"), DEFAULT_LIST_LIMIT));
    }
    String what = parts[1];
    if (what.equals("bulk")) {
      return bulk(req, parts, m);
    }
    if (parts.length == 2 && what.equals("summary") && m == HttpMethod.GET) {
      return Future.succeededFuture(admin.summary("site".equals(req.getParam("by")),
          number(req.getParam("limit"), DEFAULT_SUMMARY_ROWS)));
    }
    if (parts.length == 2 && what.equals("sites") && m == HttpMethod.GET) {
      // The router's own view, asked on this node: its queues per (egress source, site).
      return vertx.eventBus().<JsonObject>request(Addresses.ROUTER_SITES, null, Addresses.nodeLocal())
          .map(io.vertx.core.eventbus.Message::body)
          .recover(e -> Future.failedFuture(new AdminException(503, "the router did not answer: " + e.getMessage())));
    }
    if (parts.length == 2 && m == HttpMethod.GET) {
      return admin.show(what);
    }
    if (parts.length == 2 && m == HttpMethod.DELETE) {
      return admin.apply(QueueAction.DELETE, what);
    }
    if (parts.length == 3 && m == HttpMethod.POST && !parts[2].equals("delete")) {
      return admin.apply(QueueAction.parse(parts[2]), what);
    }
    return Future.failedFuture(new AdminException(404, "no such queue operation"));
  }

  /** POST /queue/bulk, GET /queue/bulk, GET and DELETE /queue/bulk/{job}. */
  private Future<JsonObject> bulk(HttpServerRequest req, String[] parts, HttpMethod m) {
    if (parts.length == 2 && m == HttpMethod.POST) {
      return req.body().compose(body -> {
        JsonObject request;
        try {
          request = body.length() == 0 ? new JsonObject() : body.toJsonObject();
        } catch (RuntimeException e) {
          throw new AdminException(400, "the body must be a JSON object");
        }
        return jobs.submit(request);
      });
    }
    if (parts.length == 2 && m == HttpMethod.GET) {
      return Future.succeededFuture(jobs.list());
    }
    if (parts.length == 3 && m == HttpMethod.GET) {
      return Future.succeededFuture(jobs.show(parts[2]));
    }
    if (parts.length == 3 && m == HttpMethod.DELETE) {
      return Future.succeededFuture(jobs.cancel(parts[2]));
    }
    return Future.failedFuture(new AdminException(404, "no such bulk operation"));
  }

  /** A positive number; a missing one is {@code otherwise}; anything else is 400. */
  private static int number(String given, int otherwise) {
    if (given == null || given.isBlank()) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(given.trim());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new AdminException(400, "limit must be a positive number, not " + given);
  }

  /** The "next" of an earlier page, or 0 (the start). */
  private static long cursor(String given) {
    if (given == null || given.isBlank()) {
      return 0;
    }
    try {
      long c = Long.parseLong(given.trim());
      if (c >= 0) {
        return c;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new AdminException(400, "cursor must be the \"next\" of an earlier page, not " + given);
  }

  /** With a token configured, "Authorization: Bearer <token>" must match it (constant-time comparison). */
  private boolean authorized(HttpServerRequest req) {
    if (config.adminToken() == null) {
      return true; // only possible on a loopback address (checked at configuration)
    }
    String header = req.getHeader("authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(header.substring(7).trim().getBytes(StandardCharsets.UTF_8),
        config.adminToken().getBytes(StandardCharsets.UTF_8));
  }

  private static void json(HttpServerRequest req, int status, JsonObject body) {
    req.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(body.encode() + "\n");
  }

  private static void error(HttpServerRequest req, int status, String message) {
    json(req, status, new JsonObject().put("error", message));
  }
}
