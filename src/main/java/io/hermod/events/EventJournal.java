package io.hermod.events;

import io.vertx.core.Future;

import java.time.Instant;
import java.util.List;

/**
 * This node's durable, append-only log of delivery events, bounded by size and age (docs/events.md). Readers
 * never slow appends: a reader that falls behind reads older entries from disk, and one that falls behind the
 * retention skips what was dropped (the first entry returned then has a seq above {@code after + 1}).
 */
public interface EventJournal {

  /** Appends one event; completes with its seq once it is durable on disk (group-committed fsync). */
  Future<Long> append(io.vertx.core.json.JsonObject event);

  /**
   * Up to {@code maxEntries} entries (and about {@code maxBytes} of JSON, at least one entry) with a seq above
   * {@code after}, in seq order; an empty list when there is none yet.
   */
  Future<List<JournalEntry>> read(long after, int maxEntries, int maxBytes);

  /** The highest seq whose entry was appended before {@code time} (0 if none): replay from a time. */
  Future<Long> seqBefore(Instant time);

  /** The seq of the newest durable entry, 0 when the journal is empty. */
  long lastSeq();

  /** The seq of the oldest entry still kept (lastSeq() + 1 when none is kept). */
  long firstSeq();

  /** Calls {@code listener} (on the journal's context) after each durable append: readers at the tail wake. */
  void onAppend(Runnable listener);

  Future<Void> close();
}
