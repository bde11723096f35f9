package io.hermod.ops;

import io.hermod.api.Addresses;

import io.hermod.config.HttpConfig;
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
import java.util.logging.Logger;

/**
 * The operations HTTP server (vertx-core's HttpServer, no router library): {@code GET /metrics},
 * {@code GET /health/live}, {@code GET /health/ready} and the queue admin API under {@code /queue}
 * (docs/operations.md). Only the admin API needs the bearer token; probes and metrics never do.
 */
public final class OpsHttpVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(OpsHttpVerticle.class.getName());
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final int DEFAULT_LIST_LIMIT = 1000;

  private final HttpConfig config;
  private final PrometheusMeterRegistry registry;
  private final Readiness readiness;
  private final QueueAdmin admin;
  private final QueueCensus census;
  private final long censusIntervalMillis;
  private HttpServer server;
  private long censusTimer = -1;

  public OpsHttpVerticle(HttpConfig config, PrometheusMeterRegistry registry, Readiness readiness, QueueAdmin admin) {
    this(config, registry, readiness, admin, null, 0);
  }

  /**
   * @param metrics              where the queue census publishes hermod_queue_messages
   * @param censusIntervalMillis how often the queue is counted by state (once spool recovery is done)
   */
  public OpsHttpVerticle(HttpConfig config, PrometheusMeterRegistry registry, Readiness readiness, QueueAdmin admin,
                         io.hermod.metrics.HermodMetrics metrics, long censusIntervalMillis) {
    this.config = config;
    this.registry = registry;
    this.readiness = readiness;
    this.admin = admin;
    this.census = metrics == null ? null : new QueueCensus(admin, metrics);
    this.censusIntervalMillis = censusIntervalMillis;
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port())
        .setMaxInitialLineLength(2048).setMaxHeaderSize(8192));
    server.requestHandler(this::handle);
    if (census != null) {
      censusTimer = vertx.setPeriodic(Math.min(1000, censusIntervalMillis), censusIntervalMillis, t -> {
        if (readiness.isRecovered()) {
          census.refresh();
        }
      });
    }
    return server.listen().onSuccess(s -> LOG.info("operations http (metrics, health, queue admin) on "
        + config.host() + ":" + s.actualPort()))
        .recover(e -> Future.failedFuture(new IllegalStateException("operations http server on " + config.host()
            + ":" + config.port() + ": " + e.getMessage() + " (http.host, http.port; http.enabled false turns it off)",
            e)));
  }

  /** The bound port (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(censusTimer);
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
    Future<JsonObject> result;
    HttpMethod m = req.method();
    if (parts.length == 1 && m == HttpMethod.GET) {
      result = admin.list(filter(req));
    } else if (parts.length == 2 && parts[1].equals("summary") && m == HttpMethod.GET) {
      result = admin.summary();
    } else if (parts.length == 2 && parts[1].equals("sites") && m == HttpMethod.GET) {
      // The router's own view, asked on this node: its queues per (egress source, site).
      result = vertx.eventBus().<JsonObject>request(Addresses.ROUTER_SITES, null, Addresses.nodeLocal())
          .map(io.vertx.core.eventbus.Message::body)
          .recover(e -> Future.failedFuture(new AdminException(503, "the router did not answer: " + e.getMessage())));
    } else if (parts.length == 2 && m == HttpMethod.GET) {
      result = admin.show(parts[1]);
    } else if (parts.length == 2 && m == HttpMethod.DELETE) {
      result = admin.delete(parts[1]);
    } else if (parts.length == 3 && m == HttpMethod.POST) {
      result = action(parts[1], parts[2]);
    } else {
      result = Future.failedFuture(new AdminException(404, "no such queue operation"));
    }
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        json(req, 200, ar.result());
      } else if (ar.cause() instanceof AdminException e) {
        error(req, e.status, e.getMessage());
      } else {
        LOG.warning("queue admin " + m + " " + path + " failed: " + ar.cause());
        error(req, 500, "spool operation failed: " + ar.cause().getMessage());
      }
    });
  }

  private Future<JsonObject> action(String id, String action) {
    return switch (action) {
      case "hold" -> admin.hold(id);
      case "release" -> admin.release(id);
      case "flush" -> admin.flush(id);
      case "bounce" -> admin.bounce(id);
      default -> Future.failedFuture(new AdminException(404, "no such queue operation: " + action));
    };
  }

  private static QueueAdmin.Filter filter(HttpServerRequest req) {
    int limit = DEFAULT_LIST_LIMIT;
    String given = req.getParam("limit");
    if (given != null) {
      try {
        limit = Math.max(1, Integer.parseInt(given));
      } catch (NumberFormatException e) {
        limit = DEFAULT_LIST_LIMIT;
      }
    }
    return new QueueAdmin.Filter(blankToNull(req.getParam("domain")), blankToNull(req.getParam("sender")),
        blankToNull(req.getParam("state")), limit);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
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
