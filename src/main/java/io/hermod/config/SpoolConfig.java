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
 */
public record SpoolConfig(String directory, int ioThreads, int maxBatch, long highWaterMessages,
                          long highWaterBytes, long minFreeBytes, int compactBelowLivePercent) {

  public static final int DEFAULT_COMPACT_BELOW_LIVE_PERCENT = 50;

  /** With the default compaction threshold. */
  public SpoolConfig(String directory, int ioThreads, int maxBatch, long highWaterMessages, long highWaterBytes,
                     long minFreeBytes) {
    this(directory, ioThreads, maxBatch, highWaterMessages, highWaterBytes, minFreeBytes,
        DEFAULT_COMPACT_BELOW_LIVE_PERCENT);
  }
}
