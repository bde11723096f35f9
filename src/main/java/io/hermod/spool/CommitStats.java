package io.hermod.spool;

/**
 * How group commit behaved: {@code commits} publications (new messages and envelope updates) were made
 * durable by {@code batches} directory fsyncs; {@code largestBatch} is the most one fsync covered.
 */
public record CommitStats(long commits, long batches, int largestBatch) {
}
