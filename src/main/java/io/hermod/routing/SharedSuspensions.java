package io.hermod.routing;

import io.hermod.api.Addresses;
import io.hermod.shaping.ShapingRule;
import io.hermod.shaping.ShapingState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.UUID;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Shaping decisions shared by the nodes of a cluster (docs/cluster.md): when a shaping rule fires here (a
 * suspension, a lowered cap or rate, a bounce; docs/delivery.md "Shaping rules"), the router publishes it on
 * {@link Addresses#SHAPING}, and every other node's router holds it for as long. One publish per decision,
 * never per message; a duration rather than an end time, so node clocks need not agree. On a single node the
 * publish reaches only this router, which ignores its own.
 */
final class SharedSuspensions {

  private static final Logger LOG = Logger.getLogger(SharedSuspensions.class.getName());

  private final Vertx vertx;
  private final String node = UUID.randomUUID().toString();
  private MessageConsumer<JsonObject> consumer;

  SharedSuspensions(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Tells the other nodes. */
  void announce(ShapingState.Decision d) {
    vertx.eventBus().publish(Addresses.SHAPING, new JsonObject().put("node", node).put("scope", d.scope())
        .put("action", d.action().name()).put("durationMillis", d.durationMillis()).put("value", d.value())
        .put("reason", d.reason()));
  }

  /** Hands other nodes' decisions to {@code apply}, on this context; a malformed message is ignored. */
  Future<Void> listen(Consumer<ShapingState.Decision> apply) {
    consumer = vertx.eventBus().consumer(Addresses.SHAPING, (Message<JsonObject> m) -> {
      JsonObject body = m.body();
      if (body == null || node.equals(body.getString("node"))) {
        return;
      }
      try {
        ShapingState.Decision d = new ShapingState.Decision(body.getString("scope"),
            ShapingRule.Action.valueOf(body.getString("action")), body.getLong("durationMillis"),
            body.getInteger("value", 0), body.getString("reason", ""));
        if (d.scope() != null && d.durationMillis() > 0) {
          apply.accept(d);
        }
      } catch (RuntimeException e) {
        LOG.fine("ignored a malformed shaping decision: " + body.encode());
      }
    });
    return consumer.completion();
  }

  Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
