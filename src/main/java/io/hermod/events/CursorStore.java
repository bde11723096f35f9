package io.hermod.events;

import io.vertx.core.Future;

import java.util.Map;

/**
 * Named, durable read positions in this node's {@link EventJournal} (an application's subscription, a webhook
 * endpoint): the seq of the last entry the reader acknowledged. Survives restarts (docs/events.md).
 */
public interface CursorStore {

  /** The acknowledged seq of {@code name}, or empty when the name is new. */
  Future<java.util.Optional<Long>> position(String name);

  /** Durably records that {@code name} has acknowledged everything up to {@code seq} (never moves back). */
  Future<Void> commit(String name, long seq);

  /** Forgets {@code name}. */
  Future<Void> remove(String name);

  /** Every cursor and its position (for the admin view and metrics). */
  Map<String, Long> snapshot();
}
