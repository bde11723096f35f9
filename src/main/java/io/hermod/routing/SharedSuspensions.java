package io.hermod.routing;

import io.hermod.api.Addresses;
import io.hermod.delivery.DeliveryJob;
import io.hermod.delivery.DeliveryReport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Shaping suspensions shared by the nodes of a cluster (docs/cluster.md): when a delivery report suspends its
 * destination here ({@link Backoff}: a "421", a rate complaint), the router publishes it on
 * {@link Addresses#SHAPING}, and every other node's router suspends the destination for as long. One publish
 * per suspension, never per message; a duration rather than an end time, so node clocks need not agree. On a
 * single node the publish reaches only this router, which ignores its own.
 */
final class SharedSuspensions {

  private final Vertx vertx;
  private final Supplier<Backoff> backoff;
  private final String node = UUID.randomUUID().toString();
  private MessageConsumer<JsonObject> consumer;

  /** @param backoff the suspension rules in force (they follow configuration reloads) */
  SharedSuspensions(Vertx vertx, Supplier<Backoff> backoff) {
    this.vertx = vertx;
    this.backoff = backoff;
  }

  /** {@code sender}, announcing each suspension its reports cause. */
  Function<DeliveryJob, Future<DeliveryReport>> announcing(Function<DeliveryJob, Future<DeliveryReport>> sender) {
    return job -> sender.apply(job).onSuccess(report -> {
      long millis = backoff.get().suspendMillis(report);
      if (millis > 0) {
        vertx.eventBus().publish(Addresses.SHAPING, new JsonObject().put("node", node)
            .put("destination", job.queueKey()).put("suspendMillis", millis));
      }
    });
  }

  /** Hands other nodes' suspensions (destination, milliseconds) to {@code suspend}, on this context. */
  Future<Void> listen(BiConsumer<String, Long> suspend) {
    consumer = vertx.eventBus().consumer(Addresses.SHAPING, (Message<JsonObject> m) -> {
      JsonObject body = m.body();
      String destination = body.getString("destination");
      Long millis = body.getLong("suspendMillis");
      if (!node.equals(body.getString("node")) && destination != null && millis != null && millis > 0) {
        suspend.accept(destination, millis);
      }
    });
    return consumer.completion();
  }

  Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
