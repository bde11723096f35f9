package io.hermod.events;

import java.time.Duration;

/**
 * What bounds a {@link FileEventJournal} (docs/events.md; configured by "events.journal.*").
 *
 * @param maxBytes     retention by size: the oldest whole segments go while the journal is larger
 * @param maxAge       retention by age: a segment goes once its newest entry is older
 * @param segmentBytes a segment is closed (and a new one started) once it reaches this size
 * @param maxPending   appends waiting for their write and fsync; an append beyond this is refused and counted
 *                     (the outcome itself is durable in the spool already)
 * @param commitDelay  how long the first append of a batch waits for others to share its write and fsync; zero =
 *                     none (a batch is written as soon as the previous one is done)
 */
public record JournalLimits(long maxBytes, Duration maxAge, long segmentBytes, int maxPending, Duration commitDelay) {

  /** A segment whose first entry is this old is closed, so that age retention can drop it within the hour. */
  public static final Duration ROLL_AGE = Duration.ofHours(1);

  /** Without a commit delay. */
  public JournalLimits(long maxBytes, Duration maxAge, long segmentBytes, int maxPending) {
    this(maxBytes, maxAge, segmentBytes, maxPending, Duration.ZERO);
  }

  public JournalLimits {
    if (segmentBytes < 4096 || maxBytes < 2 * segmentBytes || maxPending < 1 || maxAge.isNegative()
        || maxAge.isZero() || commitDelay.isNegative()) {
      throw new IllegalArgumentException("journal limits out of range: " + maxBytes + " bytes, " + maxAge + ", "
          + segmentBytes + " per segment, " + maxPending + " pending");
    }
  }
}
