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
    return new EventFeedConfig(s.bool("enabled"), s.intIn("maxBatchEntries", 1, 10_000),
        s.intIn("maxBatchBytes", 1024, 16_777_216), s.intIn("maxWaitMillis", 0, 30_000),
        s.intIn("maxSubscriptions", 1, 100_000), s.intIn("maxWaitingReads", 1, 100_000));
  }
}
