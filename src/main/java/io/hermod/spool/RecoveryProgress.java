package io.hermod.spool;

import java.util.Locale;

/**
 * How far {@link Spool#recover()} has come, for the readiness probe. Recovery reads the journal twice: first
 * every segment ({@code phase} "scanning": {@code messages} = live messages found so far), then the segments
 * holding newest envelopes ("loading": {@code messages} = envelopes handed to the observer so far), then the
 * big messages in queue/ ("queue"). {@code segmentsRead} of {@code segments} counts the current pass.
 */
public record RecoveryProgress(String phase, long messages, int segmentsRead, int segments) {

  /** Not recovering (before recover() or after it finished). */
  public static final RecoveryProgress NONE = new RecoveryProgress("idle", 0, 0, 0);

  public boolean running() {
    return this != NONE && !phase.equals(NONE.phase);
  }

  /** A short line for the probe: "recovering: scanning, 412,000 messages, segment 31 of 80". */
  public String describe() {
    return String.format(Locale.ROOT, "recovering: %s, %,d messages, segment %d of %d", phase, messages,
        segmentsRead, segments);
  }
}
