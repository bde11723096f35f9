package io.hermod.queue;

import io.hermod.spool.Envelope;
import io.hermod.spool.SpoolObserver;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What is queued on this node, kept in memory in a compact form (docs/queue.md): per message its id,
 * arrival, next attempt, hold flag, pending recipient domains, last known site and a hash of its sender,
 * a few dozen bytes each, with bodies and envelopes on disk. It follows the spool as a {@link SpoolObserver}
 * and answers, without any I/O and without walking the queue:
 * <ul>
 *   <li>the router: which messages are due, in due order ({@link #takeDue}), and when the next one is;</li>
 *   <li>the operator: counts by state, the queue's shape (qshape) from counters, pages by cursor and filter.</li>
 * </ul>
 * Thread-safe: the spool's threads feed it, the router and the admin API read it.
 *
 * <p>States: HELD (on hold), DEFERRED (next attempt later), READY (due, not taken yet), ACTIVE (taken by the
 * router, until {@link #release}), WAITING (taken, its site closed: kept out of the schedule until the site
 * opens, at no cost per message).
 */
public final class QueueIndex implements SpoolObserver {

  public enum State { HELD, DEFERRED, READY, ACTIVE, WAITING }

  /** How many messages are in each state now. */
  public record Counts(long total, long held, long deferred, long ready, long active, long waiting) {
  }

  /**
   * A filter of {@link #page}: null (or 0) means "any". {@code domain}: a pending recipient's domain;
   * {@code site}: the site of its last routing; {@code sender}: compared by hash (case-insensitive), so a
   * caller confirms a match on the envelope; ages are since arrival, in seconds.
   */
  public record Filter(String domain, String site, String sender, State state, long minAgeSeconds,
                       long maxAgeSeconds) {
    public static final Filter ANY = new Filter(null, null, null, null, 0, 0);
  }

  /**
   * One page: ids in cursor order, and the cursor to ask for the next page ({@code -1}: no more). A message
   * that stays queued for the whole walk is returned exactly once; one added meanwhile may or may not be.
   */
  public record Page(List<String> ids, long nextCursor) {
  }

  @Override
  public void stored(Envelope envelope) {
    throw new UnsupportedOperationException("not built yet");
  }

  @Override
  public void removed(String id) {
    throw new UnsupportedOperationException("not built yet");
  }

  /** Messages queued. */
  public int size() {
    throw new UnsupportedOperationException("not built yet");
  }

  /**
   * Up to {@code max} due messages (next attempt at or before {@code now}, not held, not taken), earliest
   * first; each is ACTIVE from now until {@link #release}.
   */
  public List<String> takeDue(Instant now, int max) {
    throw new UnsupportedOperationException("not built yet");
  }

  /** Takes one message out of turn (a trigger, an operator flush): false if unknown, held or already taken. */
  public boolean take(String id) {
    throw new UnsupportedOperationException("not built yet");
  }

  /** The router is done with a taken message: it is scheduled again by its current envelope. No-op if gone. */
  public void release(String id) {
    throw new UnsupportedOperationException("not built yet");
  }

  /** When the earliest scheduled message is due (empty when nothing is scheduled). */
  public Optional<Instant> nextDue() {
    throw new UnsupportedOperationException("not built yet");
  }

  /** The site of the message's last routing (io.hermod.shaping.SiteKeys), null when unknown or mixed. */
  public void site(String id, String site) {
    throw new UnsupportedOperationException("not built yet");
  }

  /** The site the index knows for {@code id}, or null. */
  public String siteOf(String id) {
    throw new UnsupportedOperationException("not built yet");
  }

  /** A taken message whose site is closed: WAITING until {@link #openSite}; not scheduled meanwhile. */
  public void waitForSite(String id) {
    throw new UnsupportedOperationException("not built yet");
  }

  /** Sites with WAITING messages. */
  public List<String> waitingSites() {
    throw new UnsupportedOperationException("not built yet");
  }

  /** Up to {@code max} WAITING messages of {@code site}, oldest first, now ACTIVE (taken) for the router. */
  public List<String> openSite(String site, int max) {
    throw new UnsupportedOperationException("not built yet");
  }

  /** Up to {@code max} WAITING messages (any site) that arrived before {@code arrivedBefore}, now ACTIVE. */
  public List<String> takeWaitingArrivedBefore(Instant arrivedBefore, int max) {
    throw new UnsupportedOperationException("not built yet");
  }

  public Counts counts(Instant now) {
    throw new UnsupportedOperationException("not built yet");
  }

  /**
   * The queue's shape, Postfix's qshape, from counters: {"buckets": [...], "total": {"total", "counts"},
   * "rows": [{"key", "total", "counts"}]} by pending recipient domain ({@code bySite} false) or by site (true),
   * largest first, at most {@code limit} rows (and "more": how many were left out).
   */
  public JsonObject shape(Instant now, boolean bySite, int limit) {
    throw new UnsupportedOperationException("not built yet");
  }

  /** Up to {@code limit} ids matching {@code filter}, from {@code cursor} (0 to start). */
  public Page page(Filter filter, long cursor, int limit, Instant now) {
    throw new UnsupportedOperationException("not built yet");
  }

  /** The state of {@code id} now, empty when it is not queued. */
  public Optional<State> state(String id, Instant now) {
    throw new UnsupportedOperationException("not built yet");
  }

  /** An estimate of the heap this index holds, in bytes (for the memory-per-message figure and a gauge). */
  public long memoryBytes() {
    throw new UnsupportedOperationException("not built yet");
  }
}
