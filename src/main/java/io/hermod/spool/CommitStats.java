package io.hermod.spool;

/**
 * How group commit behaved: {@code commits} publications (new messages, envelope updates, journal removals)
 * were made durable in {@code batches} rounds, each with at most one journal-segment fsync and one queue/
 * directory fsync; {@code largestBatch} is the most one round covered.
 */
public record CommitStats(long commits, long batches, int largestBatch) {
}
