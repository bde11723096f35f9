package io.hermod.config;

/**
 * The durable event feed ("events", docs/events.md).
 *
 * @param journal the per-node event journal ("events.journal")
 * @param feed    serving the journal to applications over the event bus ("events.feed")
 */
public record EventsConfig(EventJournalConfig journal, EventFeedConfig feed) {
}
