package io.hermod.config;

/** Reads and checks the "events" section (docs/config.md, docs/events.md). */
final class EventsSection {

  private EventsSection() {
  }

  static EventsConfig bind(JsonSection s) {
    return new EventsConfig(journal(s.section("journal")), feed(s.section("feed")));
  }

  private static EventJournalConfig journal(JsonSection s) {
    return new EventJournalConfig(s.bool("enabled"));
  }

  private static EventFeedConfig feed(JsonSection s) {
    return new EventFeedConfig(s.bool("enabled"));
  }
}
