package io.hermod.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A node-local request and its reply with HandOverJson deliver the sender's JSON object itself, not a copy. */
@ExtendWith(VertxExtension.class)
class HandOverJsonTest {

  @Test
  void theConsumerGetsTheSameObjectAndTheRequesterTheSameReply(Vertx vertx) throws Exception {
    HandOverJson.register(vertx.eventBus());
    HandOverJson.register(vertx.eventBus()); // a second verticle registering is harmless
    AtomicReference<JsonObject> received = new AtomicReference<>();
    JsonObject report = new JsonObject().put("results", new JsonArray().add("x"));
    vertx.eventBus().<JsonObject>localConsumer("test.handover", m -> {
      received.set(m.body());
      m.reply(report, HandOverJson.handOver(new io.vertx.core.eventbus.DeliveryOptions()));
    }).completion().await();
    JsonObject job = new JsonObject().put("queueId", "Q1").put("hosts", new JsonArray().add("mx"));

    JsonObject reply = vertx.eventBus().<JsonObject>request("test.handover", job,
            HandOverJson.handOver(Addresses.nodeLocal())).map(m -> m.body())
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertSame(job, received.get(), "handed over, not copied");
    assertSame(report, reply);

    JsonObject copied = vertx.eventBus().<JsonObject>request("test.handover", job, Addresses.nodeLocal())
        .map(m -> received.get()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertNotSame(job, copied, "Vert.x's own JSON codec copies (what HandOverJson saves)");
    assertEquals(job, copied);
  }

  @Test
  void overTheWireItIsPlainJson() {
    HandOverJson codec = new HandOverJson();
    JsonObject json = new JsonObject().put("a", 1).put("b", new JsonArray().add("c"));
    Buffer wire = Buffer.buffer("prefix");
    codec.encodeToWire(wire, json);
    assertEquals(json, codec.decodeFromWire(6, wire));
  }
}
