package io.hermod.config;

/**
 * The per-node event journal ("events.journal", docs/events.md).
 *
 * @param enabled false: no journal, no durable feed, no webhooks; the hermod.events publish still runs
 *                ("events.journal.enabled")
 */
public record EventJournalConfig(boolean enabled) {
}
