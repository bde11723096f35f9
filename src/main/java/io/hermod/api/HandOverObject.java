package io.hermod.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * The default codec of a node-local message type (the router's {@code DeliveryJob} and its {@code DeliveryReport}):
 * the consumer gets the sender's object itself. The types are immutable records, so handing one over is safe;
 * building their JSON and parsing it back on each side of the two messages per relayed message was ~4 % of the
 * CPU per message (issue #17). Such a message never leaves its node ({@link Addresses#nodeLocal()}): there is no
 * wire form, and a send that would need one fails instead of silently turning into something else.
 */
public final class HandOverObject<T> implements MessageCodec<T, T> {

  private final String name;

  private HandOverObject(String name) {
    this.name = name;
  }

  /** Makes this codec the default for {@code type} on {@code bus} unless a default is there already. */
  public static <T> void registerDefault(EventBus bus, Class<T> type) {
    synchronized (HandOverObject.class) {
      try {
        bus.registerDefaultCodec(type, new HandOverObject<>("hermod.handover." + type.getName()));
      } catch (IllegalStateException alreadyRegistered) {
        // another verticle of this Vert.x registered it first
      }
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, T object) {
    throw new IllegalStateException(name + ": a node-local message type has no wire form");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new IllegalStateException(name + ": a node-local message type has no wire form");
  }

  @Override
  public T transform(T object) {
    return object; // immutable: the consumer may keep it
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
