package io.hermod.api;

import io.vertx.core.json.JsonObject;

/**
 * The reply to a successful submission: the message is durably in the spool.
 *
 * @param queueId    the spool's queue id; delivery events for the message carry it
 * @param recipients how many envelope recipients were queued
 */
public record SubmitResult(String queueId, int recipients) {

  public static SubmitResult fromJson(JsonObject json) {
    return new SubmitResult(json.getString("queueId"), json.getInteger("recipients", 0));
  }
}
