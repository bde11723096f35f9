package io.hermod.api;

import io.vertx.core.json.JsonObject;

/**
 * One event as the durable feed serves it: which node's journal it comes from, its sequence number there
 * (increasing, never reused), and the delivery event. The pair (node, seq) identifies it: a consumer that must
 * not act twice on a re-delivered event (docs/events.md, at-least-once) keeps the highest seq it handled per node.
 *
 * @param node  the id of the node that recorded the outcome
 * @param seq   its sequence number in that node's journal
 * @param event the outcome, as on {@link Addresses#EVENTS}
 * @param json  the whole served JSON (fields a newer Hermod adds are there)
 */
public record FeedEvent(String node, long seq, DeliveryEvent event, JsonObject json) {

  public static FeedEvent fromJson(JsonObject json) {
    return new FeedEvent(json.getString(FeedProtocol.NODE), json.getLong(FeedProtocol.SEQ, 0L),
        DeliveryEvent.fromJson(json), json);
  }
}
