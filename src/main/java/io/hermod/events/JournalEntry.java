package io.hermod.events;

import io.vertx.core.json.JsonObject;

/**
 * One stored event: its sequence number on this node (1, 2, 3...; never reused, also across restarts and
 * compactions) and the event JSON as published on {@code hermod.events}.
 */
public record JournalEntry(long seq, JsonObject event) {
}
