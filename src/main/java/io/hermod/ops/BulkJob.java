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

  BulkJob(String id, QueueAction action, QueueFilter filter, Instant startedAt) {
    this.id = id;
    this.action = action;
    this.filter = filter;
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
    BulkJob job = new BulkJob(json.getString("job"), QueueAction.parse(json.getString("action")),
        QueueFilter.fromJson(json.getJsonObject("filter")), Instant.parse(json.getString("startedAt")));
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
