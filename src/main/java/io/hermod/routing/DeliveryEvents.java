package io.hermod.routing;

import io.hermod.api.Addresses;
import io.hermod.delivery.DeliveryTls;
import io.hermod.shaping.BounceClassifier;
import io.hermod.spool.Envelope;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/** Publishes one JSON event per recipient outcome on {@link Addresses#EVENTS} (fields: docs/eventbus.md). */
final class DeliveryEvents {

  private final EventBus bus;
  private final io.hermod.metrics.HermodMetrics metrics;
  private final BounceClassifier bounces;

  DeliveryEvents(EventBus bus, io.hermod.metrics.HermodMetrics metrics, BounceClassifier bounces) {
    this.bus = bus;
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
    bus.publish(Addresses.EVENTS, toJson(env, o, now, classification(o)).mergeIn(tlsFields(tls)));
  }

  /** "tlsPolicy": {"source", "level"} and "tls": the outcome; both null when no SMTP attempt was made. */
  static JsonObject tlsFields(DeliveryTls tls) {
    return tls == null ? new JsonObject().putNull("tlsPolicy").putNull("tls")
        : new JsonObject().put("tlsPolicy", new JsonObject().put("source", tls.source()).put("level", tls.level()))
            .put("tls", tls.outcome());
  }

  /** The bounce class of a deferral or failure (docs/delivery.md "Bounce classification"); null when delivered. */
  String classification(RecipientOutcome o) {
    return o.kind() == RecipientOutcome.Kind.DELIVERED ? null : bounces.classify(o.code(), o.status(), o.text()).label();
  }

  static JsonObject toJson(Envelope env, RecipientOutcome o, Instant now, String classification) {
    return new JsonObject()
        .put("queueId", env.id())
        .put("recipient", o.recipient().address())
        .put("outcome", o.kind().keyword())
        .put("remoteHost", o.remoteHost())
        .put("code", o.code())
        .put("status", o.status())
        .put("text", o.text())
        .put("attempt", o.recipient().attempts())
        .put("arrival", env.arrival().toString())
        .put("timestamp", now.toString())
        .put("sender", env.sender())
        .put("classification", classification);
  }
}
