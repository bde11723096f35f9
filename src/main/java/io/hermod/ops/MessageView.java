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

  /** "held", "active" (the router works on it), "deferred" (next attempt later) or "ready". */
  static String state(Envelope env, boolean active, Instant now) {
    if (env.held()) {
      return "held";
    }
    if (active) {
      return "active";
    }
    return env.nextAttempt().isAfter(now) ? "deferred" : "ready";
  }

  static JsonObject toJson(Envelope env, boolean active, Instant now) {
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
        .put("state", state(env, active, now))
        .put("size", env.size());
  }

  /** The domain of an address ("" for the null sender), lower case. */
  static String domain(String address) {
    int at = address.lastIndexOf('@');
    return at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
  }
}
