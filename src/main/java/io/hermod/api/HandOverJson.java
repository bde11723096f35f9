package io.hermod.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * A JSON body handed over to a consumer on this node rather than copied: Vert.x's own JSON codec deep-copies every
 * JsonObject it delivers locally, which for the router's delivery jobs and their reports (two messages per
 * message relayed) was ~2 % of the CPU per message (issue #17). The body is the same JSON as before; only who
 * owns the object changes: the sender builds it for this one message and never touches it after the send, and
 * the one consumer of a point-to-point message may keep it. Over the wire (never, for node-local sends) it is plain
 * JSON.
 */
public final class HandOverJson implements MessageCodec<JsonObject, JsonObject> {

  public static final String NAME = "hermod.json.handover";

  HandOverJson() {
  }

  /** Registers the codec on {@code bus} unless it is there already (each verticle that sends with it calls this). */
  public static void register(EventBus bus) {
    synchronized (HandOverJson.class) {
      try {
        bus.registerCodec(new HandOverJson());
      } catch (IllegalStateException alreadyRegistered) {
        // another verticle of this Vert.x registered it first
      }
    }
  }

  /** {@code options} sending a JSON body with this codec (register it first). */
  public static DeliveryOptions handOver(DeliveryOptions options) {
    return options.setCodecName(NAME);
  }

  @Override
  public void encodeToWire(Buffer buffer, JsonObject json) {
    Buffer encoded = json.toBuffer();
    buffer.appendInt(encoded.length()).appendBuffer(encoded);
  }

  @Override
  public JsonObject decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return new JsonObject(buffer.slice(pos + 4, pos + 4 + length));
  }

  @Override
  public JsonObject transform(JsonObject json) {
    return json; // handed over: the sender keeps no reference
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
