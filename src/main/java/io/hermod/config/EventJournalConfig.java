package io.hermod.config;

import io.hermod.events.JournalLimits;

import java.time.Duration;

/**
 * The per-node event journal ("events.journal", docs/events.md).
 *
 * @param enabled      false: no journal, no durable feed, no webhooks; the hermod.events publish still runs
 *                     ("events.journal.enabled")
 * @param maxBytes     retention by size: old segments go while the journal is larger ("events.journal.maxBytes")
 * @param maxAgeHours  retention by age: a segment goes once its newest entry is older
 *                     ("events.journal.maxAgeHours")
 * @param segmentBytes the size at which a segment is closed and the next begun ("events.journal.segmentBytes")
 * @param maxCursors   durable cursors this node keeps at most ("events.journal.maxCursors")
 * @param maxPending   appends waiting for their group commit at most; beyond, events are counted and not
 *                     journaled ("events.journal.maxPending")
 * @param commitDelayMillis how long an append waits for others to share one write and fsync
 *                     ("events.journal.commitDelayMillis")
 */
public record EventJournalConfig(boolean enabled, long maxBytes, int maxAgeHours, long segmentBytes, int maxCursors,
                                 int maxPending, int commitDelayMillis) {

  /** The journal's bounds as {@link io.hermod.events.FileEventJournal} takes them. */
  public JournalLimits limits() {
    return new JournalLimits(maxBytes, Duration.ofHours(maxAgeHours), segmentBytes, maxPending,
        Duration.ofMillis(commitDelayMillis));
  }
}
