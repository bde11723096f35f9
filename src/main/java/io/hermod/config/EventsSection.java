package io.hermod.config;

/** Reads and checks the "events" section (docs/config.md, docs/events.md). */
final class EventsSection {

  private EventsSection() {
  }

  static EventsConfig bind(JsonSection s) {
    return new EventsConfig(journal(s.section("journal")), feed(s.section("feed")));
  }

  private static EventJournalConfig journal(JsonSection s) {
    long segmentBytes = s.longIn("segmentBytes", 4096, 1L << 30);
    long maxBytes = s.longIn("maxBytes", 8192, 1L << 50);
    if (maxBytes < 2 * segmentBytes) {
      // Retention drops whole segments and never the one being written: room for two at least.
      throw ConfigException.bad(s.key("maxBytes"), "must be at least twice events.journal.segmentBytes ("
          + segmentBytes + ")", maxBytes);
    }
    return new EventJournalConfig(s.bool("enabled"), maxBytes, s.intIn("maxAgeHours", 1, 24 * 366),
        segmentBytes, s.intIn("maxCursors", 1, 100_000), s.intIn("maxPending", 1, 1_000_000),
        s.intIn("commitDelayMillis", 0, 10_000));
  }

  private static EventFeedConfig feed(JsonSection s) {
    return new EventFeedConfig(s.bool("enabled"), s.intIn("maxBatchEntries", 1, 10_000),
        s.intIn("maxBatchBytes", 1024, 16_777_216), s.intIn("maxWaitMillis", 0, 30_000),
        s.intIn("maxSubscriptions", 1, 100_000), s.intIn("maxWaitingReads", 1, 100_000));
  }
}
