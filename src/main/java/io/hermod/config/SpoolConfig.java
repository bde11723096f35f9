package io.hermod.config;

/**
 * @param directory         spool root ("spool.directory")
 * @param ioThreads         threads doing file writes and fsyncs ("spool.ioThreads")
 * @param maxBatch          most commits shared by one group fsync ("spool.maxBatch")
 * @param highWaterMessages above this many queued messages new mail gets 452 4.3.1 ("spool.highWaterMessages")
 * @param highWaterBytes    above this many queued bytes new mail gets 452 4.3.1 ("spool.highWaterBytes")
 * @param minFreeBytes      below this much free disk new mail gets 452 4.3.1 ("spool.minFreeBytes")
 */
public record SpoolConfig(String directory, int ioThreads, int maxBatch, long highWaterMessages,
                          long highWaterBytes, long minFreeBytes) {
}
