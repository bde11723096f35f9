package io.hermod.api;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One delivery outcome for one recipient, as published on {@link Addresses#EVENTS} (fields in
 * docs/eventbus.md). Read tolerantly: a field the publisher left out is null (or 0 for {@code attempt}), so
 * older and newer Hermod versions can talk to each other.
 *
 * @param queueId    the message's queue id (the {@link SubmitResult#queueId()} of a submission)
 * @param recipient  the envelope recipient
 * @param outcome    what happened, e.g. "queued", "delivered", "deferred", "bounced"
 * @param remoteHost the server that answered, if any
 * @param code       the SMTP reply code, if any
 * @param status     the RFC 3463 enhanced status code, e.g. "5.1.1", if any
 * @param text       the reply text or local reason
 * @param attempt    the delivery attempt this outcome belongs to
 * @param arrival    when the message was accepted
 * @param timestamp  when the outcome happened
 * @param sender     the envelope sender
 * @param classification the bounce class of a deferral or failure ("InvalidRecipient", "QuotaIssues", ...:
 *                   docs/delivery.md "Bounce classification"); null for a delivery
 */
public record DeliveryEvent(String queueId, String recipient, String outcome, String remoteHost, Integer code,
                            String status, String text, int attempt, Instant arrival, Instant timestamp,
                            String sender, String classification) {

  /** An event without a bounce classification (as published before Hermod classified bounces). */
  public DeliveryEvent(String queueId, String recipient, String outcome, String remoteHost, Integer code,
                       String status, String text, int attempt, Instant arrival, Instant timestamp, String sender) {
    this(queueId, recipient, outcome, remoteHost, code, status, text, attempt, arrival, timestamp, sender, null);
  }

  public static DeliveryEvent fromJson(JsonObject json) {
    return new DeliveryEvent(text(json, "queueId"), text(json, "recipient"), text(json, "outcome"),
        text(json, "remoteHost"), json.getValue("code") instanceof Number n ? n.intValue() : null,
        text(json, "status"), text(json, "text"),
        json.getValue("attempt") instanceof Number n ? n.intValue() : 0,
        instant(json, "arrival"), instant(json, "timestamp"), text(json, "sender"), text(json, "classification"));
  }

  private static String text(JsonObject json, String key) {
    Object v = json.getValue(key);
    return v == null ? null : v.toString();
  }

  /** ISO-8601 text or epoch milliseconds; anything else is treated as missing. */
  private static Instant instant(JsonObject json, String key) {
    Object v = json.getValue(key);
    if (v instanceof Number millis) {
      return Instant.ofEpochMilli(millis.longValue());
    }
    if (v instanceof String s) {
      try {
        return Instant.parse(s);
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    return null;
  }
}
