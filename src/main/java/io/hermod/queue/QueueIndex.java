package io.hermod.queue;

import io.hermod.compact.ByteColumn;
import io.hermod.compact.IdTable;
import io.hermod.compact.IntColumn;
import io.hermod.spool.Envelope;
import io.hermod.spool.SpoolObserver;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;

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

  /** The most slots one {@link #page} call examines, so that a sparse filter cannot stall the index. */
  public static final int PAGE_SCAN = 200_000;
  /** The shape's row, and the page filter's site, for messages whose site is not known. */
  public static final String UNROUTED = "(unrouted)";

  private static final int NONE = Schedule.NONE;
  /** The due time of a done or operator-bounced message: before any other, so the router finishes it first. */
  private static final int IMMEDIATE = Integer.MIN_VALUE;
  // The flags column: HELD mirrors the envelope; TAKEN and WAITING are the router's.
  private static final int HELD = 1;
  private static final int TAKEN = 2;
  private static final int WAITING = 4;

  /** Where a slot is kept, by its flags: one counter each. */
  private enum Kept { SCHEDULE, HOLD, ROUTER, WAITING }

  private final IdTable ids = new IdTable();
  /** Seconds (Secs) of arrival, and of the time it is due when scheduled. */
  private final IntColumn arrival = new IntColumn();
  private final IntColumn due = new IntColumn();
  private final ByteColumn flags = new ByteColumn();
  private final IntColumn senderHash = new IntColumn();
  private final PendingDomains domains = new PendingDomains();
  private final IntColumn site = new IntColumn(NONE);
  private final IntColumn next = new IntColumn(NONE);
  private final IntColumn prev = new IntColumn(NONE);
  private final Interner sites = new Interner();
  private final Schedule schedule = new Schedule(next, prev, due::get);
  /** WAITING slots by site id (NONE: unknown site), oldest arrival first. */
  private final Map<Integer, Schedule> waiting = new HashMap<>();
  /** Shape counters of the messages with a pending domain: all of them (key 0), by domain, by site. */
  private final ShapeCounters shapeAll = new ShapeCounters();
  private final ShapeCounters shapeByDomain = new ShapeCounters();
  private final ShapeCounters shapeBySite = new ShapeCounters();
  private final long[] kept = new long[Kept.values().length];
  private final int pageScan;

  public QueueIndex() {
    this(PAGE_SCAN);
  }

  /** With another bound on the slots one {@link #page} call examines (tests). */
  QueueIndex(int pageScan) {
    this.pageScan = pageScan;
  }

  @Override
  public synchronized void stored(Envelope envelope) {
    int slot = ids.slotOf(envelope.id());
    if (slot >= 0) {
      leave(slot);
      domains.forget(slot);
    } else {
      slot = ids.add(envelope.id());
      flags.set(slot, (byte) 0);
      site.set(slot, NONE);
    }
    arrival.set(slot, Secs.floor(envelope.arrival()));
    boolean immediate = envelope.isDone() || envelope.bounceDsnId() != null;
    due.set(slot, immediate ? IMMEDIATE : dueSecond(envelope));
    senderHash.set(slot, hash(envelope.sender()));
    int held = envelope.held() ? HELD : 0;
    flags.set(slot, (byte) ((flags.get(slot) & ~HELD) | held));
    domains.remember(slot, envelope);
    enter(slot);
  }

  @Override
  public synchronized void removed(String id) {
    int slot = ids.slotOf(id);
    if (slot < 0) {
      return;
    }
    leave(slot);
    domains.forget(slot);
    sites.release(site.get(slot));
    site.set(slot, NONE);
    flags.set(slot, (byte) 0);
    ids.remove(id);
  }

  /** Messages queued. */
  public synchronized int size() {
    return ids.size();
  }

  /**
   * Up to {@code max} due messages (next attempt at or before {@code now}, not held, not taken), earliest
   * first; each is ACTIVE from now until {@link #release}.
   */
  public synchronized List<String> takeDue(Instant now, int max) {
    int limit = Secs.floor(now);
    return move(max, () -> schedule.firstUpTo(limit), TAKEN, 0);
  }

  /**
   * Takes one message out of turn (a trigger, an operator flush, the dispatcher releasing what it parked for a
   * site that opened): false if unknown, held or already taken. A WAITING message can be taken: it is ACTIVE
   * again.
   */
  public synchronized boolean take(String id) {
    int slot = ids.slotOf(id);
    if (slot < 0 || (flags.get(slot) & HELD) != 0) {
      return false;
    }
    int f = flags.get(slot);
    if ((f & WAITING) != 0) {
      setFlags(slot, f & ~WAITING);
      return true;
    }
    if ((f & TAKEN) != 0) {
      return false;
    }
    setFlags(slot, f | TAKEN);
    return true;
  }

  /**
   * The router is done with a taken (or WAITING) message: it is scheduled again by its current envelope, or
   * HELD. No-op if gone.
   */
  public synchronized void release(String id) {
    int slot = ids.slotOf(id);
    if (slot >= 0) {
      setFlags(slot, flags.get(slot) & ~(TAKEN | WAITING));
    }
  }

  /**
   * As {@link #release(String)}, but not due before {@code notBefore} whatever its envelope says (until its
   * next durable change): the router's guard against taking a message it could not change again at once.
   */
  public synchronized void release(String id, Instant notBefore) {
    int slot = ids.slotOf(id);
    if (slot < 0) {
      return;
    }
    unplace(slot);
    due.set(slot, Math.max(due.get(slot), Secs.ceil(notBefore)));
    flags.set(slot, (byte) (flags.get(slot) & ~(TAKEN | WAITING)));
    place(slot);
  }

  /**
   * When the earliest scheduled message is due (empty when nothing is scheduled). A message due at once
   * (done, or bounced by an operator) reports a time long past.
   */
  public synchronized Optional<Instant> nextDue() {
    return schedule.isEmpty() ? Optional.empty() : Optional.of(Secs.instant(schedule.firstTime()));
  }

  /** The site of the message's last routing (io.hermod.shaping.SiteKeys), null when unknown or mixed. */
  public synchronized void site(String id, String site) {
    int slot = ids.slotOf(id);
    if (slot < 0) {
      return;
    }
    // Acquired before the old one is released, so that setting the same site again keeps its id.
    int siteId = site == null ? NONE : sites.acquire(site);
    leave(slot);
    sites.release(this.site.get(slot));
    this.site.set(slot, siteId);
    enter(slot);
  }

  /** The site the index knows for {@code id}, or null. */
  public synchronized String siteOf(String id) {
    int slot = ids.slotOf(id);
    return slot < 0 ? null : sites.name(site.get(slot));
  }

  /**
   * A taken message whose site is closed: WAITING until {@link #openSite}; not scheduled meanwhile. No-op
   * unless it is taken.
   */
  public synchronized void waitForSite(String id) {
    int slot = ids.slotOf(id);
    if (slot >= 0 && (flags.get(slot) & TAKEN) != 0) {
      setFlags(slot, flags.get(slot) | WAITING);
    }
  }

  /** Sites with WAITING messages (not those of unknown site: {@link #takeWaitingArrivedBefore} finds them). */
  public synchronized List<String> waitingSites() {
    List<String> out = new ArrayList<>();
    waiting.keySet().stream().filter(s -> s != NONE).forEach(s -> out.add(sites.name(s)));
    return out;
  }

  /** Up to {@code max} WAITING messages of {@code site}, oldest first, now ACTIVE (taken) for the router. */
  public synchronized List<String> openSite(String site, int max) {
    int siteId = sites.find(site);
    return move(max, () -> {
      Schedule list = siteId < 0 ? null : waiting.get(siteId);
      return list == null ? NONE : list.firstUpTo(Integer.MAX_VALUE);
    }, 0, WAITING);
  }

  /**
   * Up to {@code max} WAITING messages (any site) that arrived before {@code arrivedBefore} (to the second),
   * oldest first, now ACTIVE.
   */
  public synchronized List<String> takeWaitingArrivedBefore(Instant arrivedBefore, int max) {
    int limit = Secs.ceil(arrivedBefore) - 1;
    return move(max, () -> oldestWaiting(limit), 0, WAITING);
  }

  public synchronized Counts counts(Instant now) {
    long ready = schedule.countUpTo(Secs.floor(now));
    return new Counts(ids.size(), kept[Kept.HOLD.ordinal()], kept[Kept.SCHEDULE.ordinal()] - ready, ready,
        kept[Kept.ROUTER.ordinal()], kept[Kept.WAITING.ordinal()]);
  }

  /**
   * The queue's shape, Postfix's qshape, from counters: {"buckets": [...], "total": {"total", "counts"},
   * "rows": [{"key", "total", "counts"}], "more": n} by pending recipient domain ({@code bySite} false) or by
   * site (true; {@value #UNROUTED} for an unknown site), largest first, at most {@code limit} rows ("more": how
   * many were left out). Only messages with a recipient still pending count; ages are in clock minutes.
   */
  public synchronized JsonObject shape(Instant now, boolean bySite, int limit) {
    int nowMinute = Secs.minute(Secs.floor(now));
    return bySite
        ? ShapeCounters.toJson(shapeAll, shapeBySite, nowMinute, s -> s == NONE ? UNROUTED : sites.name(s), limit)
        : ShapeCounters.toJson(shapeAll, shapeByDomain, nowMinute, domains::name, limit);
  }

  /**
   * Up to {@code limit} ids matching {@code filter}, from {@code cursor} (0 to start), in slot order. One call
   * examines at most {@link #PAGE_SCAN} slots, so a page may hold fewer than {@code limit} ids while
   * {@code nextCursor} is not -1: ask again from there.
   */
  public synchronized Page page(Filter filter, long cursor, int limit, Instant now) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    int end = ids.slotLimit();
    IntPredicate matches = matcher(filter == null ? Filter.ANY : filter, Secs.floor(now));
    if (cursor < 0 || cursor >= end || matches == null) {
      return new Page(List.of(), -1);
    }
    List<String> out = new ArrayList<>();
    int slot = (int) cursor;
    for (int budget = pageScan; slot < end && budget > 0 && out.size() < limit; slot++, budget--) {
      if (ids.used(slot) && matches.test(slot)) {
        out.add(ids.idAt(slot));
      }
    }
    return new Page(out, slot >= end ? -1 : slot);
  }

  /** The state of {@code id} now, empty when it is not queued. */
  public synchronized Optional<State> state(String id, Instant now) {
    int slot = ids.slotOf(id);
    return slot < 0 ? Optional.empty() : Optional.of(stateOf(slot, Secs.floor(now)));
  }

  /** An estimate of the heap this index holds, in bytes (for the memory-per-message figure and a gauge). */
  public synchronized long memoryBytes() {
    long columns = arrival.memoryBytes() + due.memoryBytes() + flags.memoryBytes() + senderHash.memoryBytes()
        + site.memoryBytes() + next.memoryBytes() + prev.memoryBytes();
    long lists = schedule.memoryBytes() + waiting.values().stream().mapToLong(Schedule::memoryBytes).sum();
    return ids.memoryBytes() + columns + lists + domains.memoryBytes() + sites.memoryBytes()
        + shapeAll.memoryBytes() + shapeByDomain.memoryBytes() + shapeBySite.memoryBytes();
  }

  /**
   * A retry is rounded up to its second (never taken early); a new message, due from its arrival, is due in its
   * own second: rounded up it would be invisible to takeDue and to the READY count (flow control's backlog)
   * for up to a second after its 250.
   */
  private static int dueSecond(Envelope envelope) {
    return envelope.nextAttempt().isAfter(envelope.arrival()) ? Secs.ceil(envelope.nextAttempt())
        : Secs.floor(envelope.nextAttempt());
  }

  private static int hash(String sender) {
    return sender.toLowerCase(Locale.ROOT).hashCode();
  }

  private static Kept keptIn(int flagBits) {
    if ((flagBits & WAITING) != 0) {
      return Kept.WAITING;
    }
    if ((flagBits & TAKEN) != 0) {
      return Kept.ROUTER;
    }
    return (flagBits & HELD) != 0 ? Kept.HOLD : Kept.SCHEDULE;
  }

  private State stateOf(int slot, int now) {
    return switch (keptIn(flags.get(slot))) {
      case WAITING -> State.WAITING;
      case ROUTER -> State.ACTIVE;
      case HOLD -> State.HELD;
      case SCHEDULE -> due.get(slot) <= now ? State.READY : State.DEFERRED;
    };
  }

  /** Takes up to {@code max} slots from {@code source} (NONE when dry), changing their flags; their ids. */
  private List<String> move(int max, IntSupplier source, int set, int clear) {
    List<String> out = new ArrayList<>();
    while (out.size() < max) {
      int slot = source.getAsInt();
      if (slot == NONE) {
        break;
      }
      setFlags(slot, (flags.get(slot) | set) & ~clear);
      out.add(ids.idAt(slot));
    }
    return out;
  }

  /** The WAITING slot of earliest arrival at or before {@code limit} over all sites (sites are few). */
  private int oldestWaiting(int limit) {
    Schedule oldest = null;
    for (Schedule list : waiting.values()) {
      if (list.firstTime() <= limit && (oldest == null || list.firstTime() < oldest.firstTime())) {
        oldest = list;
      }
    }
    return oldest == null ? NONE : oldest.firstUpTo(limit);
  }

  private void setFlags(int slot, int bits) {
    unplace(slot);
    flags.set(slot, (byte) bits);
    place(slot);
  }

  /** Takes the slot out of every structure and counter its fields put it in, before they change. */
  private void leave(int slot) {
    unplace(slot);
    countShape(slot, -1);
  }

  /** Puts the slot in the structures and counters its (new) fields call for. */
  private void enter(int slot) {
    countShape(slot, 1);
    place(slot);
  }

  private void place(int slot) {
    Kept where = keptIn(flags.get(slot));
    kept[where.ordinal()]++;
    if (where == Kept.SCHEDULE) {
      schedule.add(slot);
    } else if (where == Kept.WAITING) {
      waiting.computeIfAbsent(site.get(slot), s -> new Schedule(next, prev, arrival::get)).add(slot);
    }
  }

  private void unplace(int slot) {
    Kept where = keptIn(flags.get(slot));
    kept[where.ordinal()]--;
    if (where == Kept.SCHEDULE) {
      schedule.remove(slot);
    } else if (where == Kept.WAITING) {
      Schedule list = waiting.get(site.get(slot));
      list.remove(slot);
      if (list.isEmpty()) {
        waiting.remove(site.get(slot));
      }
    }
  }

  private void countShape(int slot, int delta) {
    if (!domains.any(slot)) {
      return;
    }
    int minute = Secs.minute(arrival.get(slot));
    shapeAll.add(0, minute, delta);
    shapeBySite.add(site.get(slot), minute, delta);
    domains.forEach(slot, d -> shapeByDomain.add(d, minute, delta));
  }

  /** The filter as a test of a used slot, or null when it names a domain or site no message has. */
  private IntPredicate matcher(Filter f, int now) {
    IntPredicate p = slot -> true;
    if (f.domain() != null) {
      int d = domains.find(f.domain());
      if (d < 0) {
        return null;
      }
      p = p.and(slot -> domains.has(slot, d));
    }
    if (f.site() != null) {
      int s = UNROUTED.equals(f.site()) ? NONE : sites.find(f.site());
      if (s < 0 && !UNROUTED.equals(f.site())) {
        return null;
      }
      p = p.and(slot -> site.get(slot) == s);
    }
    if (f.sender() != null) {
      int h = hash(f.sender());
      p = p.and(slot -> senderHash.get(slot) == h);
    }
    if (f.state() != null) {
      p = p.and(slot -> stateOf(slot, now) == f.state());
    }
    if (f.minAgeSeconds() > 0) {
      p = p.and(slot -> now - (long) arrival.get(slot) >= f.minAgeSeconds());
    }
    if (f.maxAgeSeconds() > 0) {
      p = p.and(slot -> now - (long) arrival.get(slot) <= f.maxAgeSeconds());
    }
    return p;
  }
}
