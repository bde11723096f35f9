package io.hermod.config;

/**
 * The event feed on the bus ("events.feed", docs/events.md): its bounds, so that no subscriber can make a node
 * hold more than this in memory.
 *
 * @param enabled          false: applications cannot subscribe over the bus ("events.feed.enabled")
 * @param maxBatchEntries  most events in one reply ("events.feed.maxBatchEntries")
 * @param maxBatchBytes    about the most bytes of event JSON in one reply ("events.feed.maxBatchBytes")
 * @param maxWaitMillis    the longest a read at the tail waits for a new event ("events.feed.maxWaitMillis")
 * @param maxSubscriptions most named cursors on this node ("events.feed.maxSubscriptions")
 * @param maxWaitingReads  most reads waiting at the tail at once ("events.feed.maxWaitingReads")
 */
public record EventFeedConfig(boolean enabled, int maxBatchEntries, int maxBatchBytes, int maxWaitMillis,
                              int maxSubscriptions, int maxWaitingReads) {

  /** The defaults of defaults.json, enabled or not (for tests and embedding). */
  public static EventFeedConfig defaults(boolean enabled) {
    return new EventFeedConfig(enabled, 1000, 1_048_576, 5000, 1000, 1000);
  }
}
