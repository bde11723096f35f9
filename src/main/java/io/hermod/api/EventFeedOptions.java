package io.hermod.api;

import java.time.Instant;
import java.util.Objects;

/**
 * How an {@link EventFeed} subscription starts and polls. Where a new cursor starts: {@link #fromBeginning()}
 * (default: every event each node still keeps), {@link #fromEnd()} or {@link #from(Instant)}. An existing cursor
 * resumes where it was acknowledged, unless {@link #replay(boolean)} moves it to the start given here.
 */
public final class EventFeedOptions {

  private String start = FeedProtocol.START_BEGINNING;
  private Instant time;
  private boolean replay;
  private int maxBatch = 500;
  private long waitMillis = 5000;
  private long retryInitialMillis = 250;
  private long retryMaxMillis = 5000;
  private long discoveryMillis = 5000;

  /** A new cursor starts at the oldest event each node keeps. */
  public EventFeedOptions fromBeginning() {
    start = FeedProtocol.START_BEGINNING;
    time = null;
    return this;
  }

  /** A new cursor starts after the newest event: only outcomes recorded from now on. */
  public EventFeedOptions fromEnd() {
    start = FeedProtocol.START_END;
    time = null;
    return this;
  }

  /** A new cursor starts with the first event recorded at or after {@code time}. */
  public EventFeedOptions from(Instant time) {
    start = FeedProtocol.START_TIME;
    this.time = Objects.requireNonNull(time, "time");
    return this;
  }

  /** true: an existing cursor is moved to the start above (replay), even backwards, on every node. */
  public EventFeedOptions replay(boolean replay) {
    this.replay = replay;
    return this;
  }

  /** Most events per batch (the node caps it at events.feed.maxBatchEntries). */
  public EventFeedOptions maxBatch(int maxBatch) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1: " + maxBatch);
    }
    this.maxBatch = maxBatch;
    return this;
  }

  /** How long a read at the end of a node's journal may wait for a new event (the node caps it). */
  public EventFeedOptions waitMillis(long waitMillis) {
    this.waitMillis = Math.max(0, waitMillis);
    return this;
  }

  /** Backoff after a failure (node down, handler failed): from {@code initial}, doubling up to {@code max}. */
  public EventFeedOptions retry(long initialMillis, long maxMillis) {
    if (initialMillis < 1 || maxMillis < initialMillis) {
      throw new IllegalArgumentException("retry needs 1 <= initial <= max: " + initialMillis + ", " + maxMillis);
    }
    this.retryInitialMillis = initialMillis;
    this.retryMaxMillis = maxMillis;
    return this;
  }

  /** How often to ask who serves the feed (nodes that join later are found within this). */
  public EventFeedOptions discoveryMillis(long millis) {
    if (millis < 10) {
      throw new IllegalArgumentException("discoveryMillis must be at least 10: " + millis);
    }
    this.discoveryMillis = millis;
    return this;
  }

  String start() {
    return start;
  }

  Instant time() {
    return time;
  }

  boolean replay() {
    return replay;
  }

  int maxBatch() {
    return maxBatch;
  }

  long waitMillis() {
    return waitMillis;
  }

  long retryInitialMillis() {
    return retryInitialMillis;
  }

  long retryMaxMillis() {
    return retryMaxMillis;
  }

  long discoveryMillis() {
    return discoveryMillis;
  }

  EventFeedOptions copy() {
    EventFeedOptions c = new EventFeedOptions();
    c.start = start;
    c.time = time;
    c.replay = replay;
    c.maxBatch = maxBatch;
    c.waitMillis = waitMillis;
    c.retryInitialMillis = retryInitialMillis;
    c.retryMaxMillis = retryMaxMillis;
    c.discoveryMillis = discoveryMillis;
    return c;
  }
}
