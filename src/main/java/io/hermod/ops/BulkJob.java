package io.hermod.ops;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Locale;

/**
 * One bulk action (docs/operations.md): what it does to which messages, and how far it got. Its JSON is both
 * the API's answer and the job's file in the spool ({@link BulkJobStore}). Touched on the ops verticle's
 * context only.
 */
final class BulkJob {

  enum State { RUNNING, DONE, FAILED, CANCELLED }

  /** What a job does to which messages: the body of POST /queue/bulk. */
  record Request(QueueAction action, QueueFilter filter) {

    /** {"action", filter fields, "all"}: 400 for an unknown action, or no filter without "all": true. */
    static Request parse(JsonObject body) {
      QueueAction action;
      try {
        action = QueueAction.parse(body.getString("action", ""));
      } catch (AdminException | ClassCastException e) {
        throw new AdminException(400, "action must be hold, release, delete, bounce or flush");
      }
      QueueFilter filter = QueueFilter.fromJson(body);
      if (filter.isAny() && !Boolean.TRUE.equals(body.getValue("all"))) {
        // A forgotten filter must not delete the whole queue.
        throw new AdminException(400, "a bulk action needs a filter (domain, site, sender, state, minAge, maxAge)"
            + " or \"all\": true");
      }
      return new Request(action, filter);
    }
  }

  final String id;
  final QueueAction action;
  final QueueFilter filter;
  final Instant startedAt;
  State state = State.RUNNING;
  long matched;   // messages the action was tried on
  long done;      // ... and it was done (or there was nothing to change)
  long skipped;   // ... refused because the router was working on them (409)
  long errors;    // ... failed otherwise (lastError says how)
  int restarts;   // how often it started over after a restart of Hermod
  Instant finishedAt;
  String lastError;
  boolean cancelRequested;

  BulkJob(String id, Request request, Instant startedAt) {
    this.id = id;
    this.action = request.action();
    this.filter = request.filter();
    this.startedAt = startedAt;
  }

  boolean running() {
    return state == State.RUNNING;
  }

  /** After a restart the job walks the whole index again: each message is counted once per walk. */
  void startOver() {
    matched = done = skipped = errors = 0;
    restarts++;
  }

  void finish(State end, Instant at) {
    state = end;
    finishedAt = at;
  }

  JsonObject toJson() {
    return new JsonObject().put("job", id).put("action", action.label()).put("filter", filter.toJson())
        .put("state", state.name().toLowerCase(Locale.ROOT)).put("matched", matched).put("done", done)
        .put("skipped", skipped).put("errors", errors).put("restarts", restarts)
        .put("startedAt", startedAt.toString()).put("finishedAt", finishedAt == null ? null : finishedAt.toString())
        .put("lastError", lastError);
  }

  static BulkJob fromJson(JsonObject json) {
    BulkJob job = new BulkJob(json.getString("job"), new Request(QueueAction.parse(json.getString("action")),
        QueueFilter.fromJson(json.getJsonObject("filter"))), Instant.parse(json.getString("startedAt")));
    job.state = State.valueOf(json.getString("state").toUpperCase(Locale.ROOT));
    job.matched = json.getLong("matched", 0L);
    job.done = json.getLong("done", 0L);
    job.skipped = json.getLong("skipped", 0L);
    job.errors = json.getLong("errors", 0L);
    job.restarts = json.getInteger("restarts", 0);
    String finished = json.getString("finishedAt");
    job.finishedAt = finished == null ? null : Instant.parse(finished);
    job.lastError = json.getString("lastError");
    return job;
  }
}
