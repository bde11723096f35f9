package io.hermod.config;

/**
 * @param directory         spool root ("spool.directory")
 * @param ioThreads         threads doing file writes and fsyncs ("spool.ioThreads")
 * @param maxBatch          most commits shared by one group fsync ("spool.maxBatch")
 * @param highWaterMessages above this many queued messages new mail gets 452 4.3.1 ("spool.highWaterMessages")
 * @param highWaterBytes    above this many queued bytes new mail gets 452 4.3.1 ("spool.highWaterBytes")
 * @param minFreeBytes      below this much free disk new mail gets 452 4.3.1 ("spool.minFreeBytes")
 * @param compactBelowLivePercent a journal segment whose live bytes are under this share of its size has
 *                          its live messages copied forward so that it can be deleted; 0 = never
 *                          ("spool.compactBelowLivePercent")
 * @param removalSyncMillis longest a removal's tombstone waits for another commit's fsync to ride on before it
 *                          takes one of its own; 0 = an fsync of its own at once ("spool.removalSyncMillis")
 */
public record SpoolConfig(String directory, int ioThreads, int maxBatch, long highWaterMessages,
                          long highWaterBytes, long minFreeBytes, int compactBelowLivePercent,
                          int removalSyncMillis) {

  public static final int DEFAULT_COMPACT_BELOW_LIVE_PERCENT = 50;
  public static final int DEFAULT_REMOVAL_SYNC_MILLIS = 100;

  /** With the default removal window. */
  public SpoolConfig(String directory, int ioThreads, int maxBatch, long highWaterMessages, long highWaterBytes,
                     long minFreeBytes, int compactBelowLivePercent) {
    this(directory, ioThreads, maxBatch, highWaterMessages, highWaterBytes, minFreeBytes, compactBelowLivePercent,
        DEFAULT_REMOVAL_SYNC_MILLIS);
  }

  /** With the default compaction threshold. */
  public SpoolConfig(String directory, int ioThreads, int maxBatch, long highWaterMessages, long highWaterBytes,
                     long minFreeBytes) {
    this(directory, ioThreads, maxBatch, highWaterMessages, highWaterBytes, minFreeBytes,
        DEFAULT_COMPACT_BELOW_LIVE_PERCENT);
  }
}
