package io.hermod.config;

/**
 * The event feed on the bus ("events.feed", docs/events.md).
 *
 * @param enabled false: applications cannot subscribe over the bus ("events.feed.enabled")
 */
public record EventFeedConfig(boolean enabled) {
}
