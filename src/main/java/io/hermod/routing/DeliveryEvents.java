package io.hermod.routing;

import io.hermod.time.IsoInstant;
import io.hermod.api.Addresses;
import io.hermod.events.EventJournal;
import io.hermod.delivery.DeliveryTls;
import io.hermod.shaping.BounceClassifier;
import io.hermod.spool.Envelope;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * Publishes one JSON event per recipient outcome on {@link Addresses#EVENTS} (fields: docs/eventbus.md) and
 * appends it to the node's event journal when there is one (docs/events.md).
 */
final class DeliveryEvents {

  /** Room for an event's fields without a rehash (capacity x 0.75 load factor > 14). */
  private static final int EVENT_MAP_CAPACITY = 32;

  private final EventBus bus;
  private final EventJournal journal;
  private final io.hermod.metrics.HermodMetrics metrics;
  private final BounceClassifier bounces;

  /** @param journal where every event is also appended; null when events.journal.enabled is false */
  DeliveryEvents(EventBus bus, io.hermod.metrics.HermodMetrics metrics, BounceClassifier bounces,
                 EventJournal journal) {
    this.bus = bus;
    this.journal = journal;
    this.metrics = metrics;
    this.bounces = bounces;
  }

  /** Call only once the outcome is durably in the spool. */
  void publish(Envelope env, RecipientOutcome o, Instant now) {
    publish(env, o, now, null);
  }

  /** @param tls the TLS policy and outcome of the delivery attempt (null when none was made) */
  void publish(Envelope env, RecipientOutcome o, Instant now, DeliveryTls tls) {
    metrics.deliveryOutcome(o.kind().keyword(), o.status(), java.time.Duration.between(env.arrival(), now)); // metrics
    JsonObject event = withTls(toJson(env, o, now, classification(o)), tls);
    bus.publish(Addresses.EVENTS, event);
    if (journal != null) {
      // Not awaited: a slow journal disk never holds up delivery. The journal bounds what waits, and counts and
      // logs what it cannot take (docs/events.md, "The router does not wait for the journal").
      journal.append(event);
    }
  }

  /** Adds "tlsPolicy": {"source", "level"} and "tls": the outcome; both null when no SMTP attempt was made. */
  static JsonObject withTls(JsonObject event, DeliveryTls tls) {
    return tls == null ? event.putNull("tlsPolicy").putNull("tls")
        : event.put("tlsPolicy", new JsonObject().put("source", tls.source()).put("level", tls.level()))
            .put("tls", tls.outcome());
  }

  /** The bounce class of a deferral or failure (docs/delivery.md "Bounce classification"); null when delivered. */
  String classification(RecipientOutcome o) {
    return o.kind() == RecipientOutcome.Kind.DELIVERED ? null : bounces.classify(o.code(), o.status(), o.text()).label();
  }

  static JsonObject toJson(Envelope env, RecipientOutcome o, Instant now, String classification) {
    // Sized for its 14 fields (with withTls's two): the default map grew once for every event (issue #17's profile).
    return new JsonObject(new java.util.LinkedHashMap<>(EVENT_MAP_CAPACITY))
        .put("queueId", env.id())
        .put("recipient", o.recipient().address())
        .put("outcome", o.kind().keyword())
        .put("remoteHost", o.remoteHost())
        .put("code", o.code())
        .put("status", o.status())
        .put("text", o.text())
        .put("attempt", o.recipient().attempts())
        .put("arrival", IsoInstant.format(env.arrival()))
        .put("timestamp", IsoInstant.format(now))
        .put("sender", env.sender())
        .put("classification", classification);
  }
}
