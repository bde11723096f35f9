package io.hermod.routing;

import io.hermod.shaping.ShapingState;
import io.vertx.core.json.JsonObject;

/**
 * How the dispatcher's queues and shaping decisions read to an operator: the entries of GET /queue/sites
 * (docs/operations.md "Sites") and the words of the shaping log lines. Presentation only: the dispatcher
 * decides, this describes.
 */
final class SiteQueueViews {

  private SiteQueueViews() {
  }

  /**
   * One queue: its key, state ({@code open}, {@code suspended}, {@code dead}, {@code bouncing}), counts,
   * connection window ({@code connections}, as the dispatcher computed it) and, when closed, the reason and until
   * when.
   */
  static JsonObject queue(SiteQueue<?> q, ShapingState shaping, int connections, long now) {
    String state = "open";
    String reason = null;
    long until = 0;
    String bounce = shaping.bounceReason(q.key, now);
    long suspended = shaping.suspendedUntil(q.key, now);
    if (bounce != null) {
      state = "bouncing";
      reason = bounce;
    } else if (suspended > 0) {
      state = "suspended";
      reason = shaping.suspendReason(q.key, now);
      until = suspended;
    } else if (q.health.dead()) {
      state = "dead";
      reason = q.health.lastError();
      until = q.health.probeAt();
    }
    JsonObject j = new JsonObject().put("queue", q.key.toString())
        .put("site", q.key.site()).put("source", q.key.source()).put("state", state)
        .put("waiting", q.waiting.size()).put("inFlight", q.inFlight).put("parked", q.parked.size())
        .put("connections", connections);
    if (reason != null) {
      j.put("reason", reason);
    }
    if (until > 0) {
      j.put("until", java.time.Instant.ofEpochMilli(until).toString());
    }
    return j;
  }

  /** What a shaping decision does, for its log line: "suspended for 300 s", "limited to 2 connections for 60 s". */
  static String decision(ShapingState.Decision d) {
    long s = d.durationMillis() / 1000;
    return switch (d.action()) {
      case SUSPEND -> "suspended for " + s + " s";
      case BOUNCE -> "bounces its mail for " + s + " s";
      case LIMIT_CONNECTIONS -> "limited to " + d.value() + " connections for " + s + " s";
      case LIMIT_RATE -> "limited to " + d.value() + " jobs a minute for " + s + " s";
    };
  }
}
