package io.hermod.ops;

import io.hermod.spool.Envelope;
import io.hermod.spool.Recipient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Locale;

/** One queued message as the admin API shows it (fields in docs/operations.md). Never the message body. */
final class MessageView {

  private MessageView() {
  }

  /**
   * "held", "active" (the router works on it), "waiting" (parked by the router until its site opens),
   * "deferred" (next attempt later) or "ready".
   */
  static String state(Envelope env, boolean active, boolean waiting, Instant now) {
    if (env.held()) {
      return "held";
    }
    if (active) {
      return "active";
    }
    if (waiting) {
      return "waiting";
    }
    return env.nextAttempt().isAfter(now) ? "deferred" : "ready";
  }

  static JsonObject toJson(Envelope env, String state) {
    JsonArray rcpts = new JsonArray();
    for (Recipient r : env.recipients()) {
      JsonObject j = new JsonObject().put("address", r.address())
          .put("state", r.state().name().toLowerCase(Locale.ROOT)).put("attempts", r.attempts());
      if (r.lastReply() != null) {
        j.put("lastReply", r.lastReply());
      }
      rcpts.add(j);
    }
    return new JsonObject()
        .put("id", env.id())
        .put("sender", env.sender())
        .put("recipients", rcpts)
        .put("arrival", env.arrival().toString())
        .put("nextAttempt", env.nextAttempt().toString())
        .put("held", env.held())
        .put("state", state)
        .put("size", env.size());
  }
}
