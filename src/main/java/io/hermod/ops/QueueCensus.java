package io.hermod.ops;

import io.hermod.metrics.HermodMetrics;
import io.hermod.queue.QueueIndex;

import java.time.Clock;

/**
 * hermod_queue_messages by state from the index's counters, at scrape time: no walk over the spool. The gauges
 * of one scrape share one {@link QueueIndex#counts} (kept for a second), so a scrape asks the index once.
 */
final class QueueCensus {

  private static final long FRESH_MILLIS = 1000;

  private final QueueIndex index;
  private final Clock clock;
  private QueueIndex.Counts last;
  private long lastAt = Long.MIN_VALUE;

  QueueCensus(QueueIndex index, Clock clock, HermodMetrics metrics) {
    this.index = index;
    this.clock = clock;
    metrics.queueMessages(this::count);
  }

  private synchronized long count(String state) {
    long now = clock.millis();
    if (last == null || now - lastAt >= FRESH_MILLIS || now < lastAt) {
      last = index.counts(clock.instant());
      lastAt = now;
    }
    return switch (state) {
      case "held" -> last.held();
      case "deferred" -> last.deferred();
      case "ready" -> last.ready();
      case "waiting" -> last.waiting();
      default -> last.active();
    };
  }
}
