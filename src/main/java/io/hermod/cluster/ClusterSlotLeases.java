package io.hermod.cluster;

import io.hermod.delivery.NodeConnections;
import io.hermod.routing.DestinationLimits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.SharedData;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * A per-destination connection cap shared by the whole cluster (docs/cluster.md, "Connection limits"). For
 * each destination with demand this node keeps a lease: an entry {"held", "wanted"} under its node key in
 * the cluster map {@code hermod.slots.<destination>}, written with a time-to-live of one lease. Every refresh
 * (a third of a lease, and at once for a new destination) takes the destination's cluster lock, reads the
 * live entries and decides its share ({@link SlotShare}), so the live entries never sum above the cap. A node
 * that dies stops refreshing: its entries expire and its slots return to the others after at most one lease.
 * Shared data is only touched by the refresh timer, never per message. Runs on the router's context.
 *
 * <p>The same leases share a per-destination job rate ({@link #jobRate}, map {@code hermod.rate.<destination>}):
 * the cap is the rate in jobs per minute and each node's dispatcher runs its token bucket at its share.
 *
 * <p>For slots, a node's share counts its open connections ({@link NodeConnections}), not only its jobs in
 * flight: a delivery verticle keeps a connection idle for reuse after its job, and the remote sees it open.
 * The granted share becomes the node's connection limit, so when it shrinks the pools close idle connections
 * above it.
 */
public final class ClusterSlotLeases implements DestinationLimits {

  private static final Logger LOG = Logger.getLogger(ClusterSlotLeases.class.getName());
  static final String PREFIX = LeasedBudget.SLOTS_PREFIX;

  private final Vertx vertx;
  private final SharedData shared;
  private final LeasedBudget budget;
  private final String nodeKey = UUID.randomUUID().toString();
  private final int cap;
  private final long leaseMillis;
  private final long refreshMillis;
  private final Map<String, Lease> leases = new LinkedHashMap<>();
  private Runnable grown = () -> { };
  private long timer = -1;
  private boolean stopped;

  /**
   * Connection slots.
   *
   * @param cap   the cluster-wide most connections per destination
   * @param lease how long a node's slots stay reserved without a refresh (the time a dead node's slots take
   *              to come back)
   */
  public ClusterSlotLeases(Vertx vertx, int cap, Duration lease) {
    this(vertx, cap, lease, new NodeConnections());
  }

  /** Connection slots; @param connections this node's open connections, shared with its delivery verticles */
  public ClusterSlotLeases(Vertx vertx, int cap, Duration lease, NodeConnections connections) {
    this(vertx, LeasedBudget.connectionSlots(connections), cap, lease);
  }

  /**
   * A cluster-wide rate of {@code ratePerSecond} jobs per destination; {@link #allowed} is this node's share in
   * jobs per <em>minute</em>.
   */
  public static ClusterSlotLeases jobRate(Vertx vertx, int ratePerSecond, Duration lease) {
    return new ClusterSlotLeases(vertx, LeasedBudget.jobRate(), Math.multiplyExact(ratePerSecond, 60), lease);
  }

  private ClusterSlotLeases(Vertx vertx, LeasedBudget budget, int cap, Duration lease) {
    this.vertx = vertx;
    this.budget = budget;
    this.shared = vertx.sharedData();
    this.cap = cap;
    this.leaseMillis = lease.toMillis();
    this.refreshMillis = Math.max(100, leaseMillis / 3);
  }

  @Override
  public void start(Runnable onGrown) {
    this.grown = onGrown;
    timer = vertx.setPeriodic(refreshMillis, t -> new HashMap<>(leases).values().forEach(this::refresh));
  }

  @Override
  public int allowed(String destination) {
    Lease l = leases.get(destination);
    return l == null ? 0 : l.allowed(System.nanoTime());
  }

  @Override
  public void demand(String destination, int inFlight, int waiting) {
    Lease l = leases.get(destination);
    if (l == null) {
      if (inFlight == 0 && waiting == 0) {
        return;
      }
      l = new Lease(destination);
      leases.put(destination, l);
      Lease first = l;
      // A new destination asks at once (not inside the dispatcher's pass: the answer calls it back).
      vertx.runOnContext(v -> refresh(first));
    }
    l.inFlight = inFlight;
    l.waiting = waiting;
  }

  @Override
  public void stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    // Removing our own entry only lowers the sum: safe without the lock.
    for (Iterator<Lease> it = leases.values().iterator(); it.hasNext(); ) {
      Lease l = it.next();
      it.remove();
      budget.shared(l.destination, null);
      map(l.destination).compose(m -> m.remove(nodeKey))
          .onFailure(e -> LOG.fine("lease " + budget.mapPrefix() + l.destination + " not given back: "
              + e.getMessage()));
    }
  }

  private void refresh(Lease l) {
    if (l.busy || stopped || leases.get(l.destination) != l) {
      return;
    }
    l.busy = true;
    // For slots, open connections count as used, idle ones included: the remote sees them (SlotShare keeps
    // them only while no other node waits for slots).
    int inUse = budget.inUse(l.destination, l.inFlight);
    int wanted = budget.wanted(cap, l.inFlight, l.waiting);
    long askedAt = System.nanoTime();
    boolean turnOver = l.granted > 0 && askedAt - l.holdingSince >= leaseMillis * 1_000_000L;
    shared.getLockWithTimeout(budget.mapPrefix() + l.destination, Math.min(leaseMillis, 5000))
        .compose(lock -> decide(l.destination, wanted, inUse, turnOver).eventually(() -> {
          lock.release();
          return Future.succeededFuture();
        }))
        .onComplete(ar -> {
          l.busy = false;
          if (ar.failed()) {
            LOG.fine("lease " + budget.mapPrefix() + l.destination + " not refreshed: " + ar.cause().getMessage());
            // Keep no idle connection the cluster may no longer count as ours.
            budget.shared(l.destination, l.allowed(System.nanoTime()));
            return;
          }
          int before = l.allowed(System.nanoTime());
          if (l.granted == 0 && ar.result().granted() > 0) {
            l.holdingSince = askedAt; // a turn starts
          }
          l.granted = ar.result().granted();
          l.validUntil = askedAt + leaseMillis * 1_000_000L; // counted from before the ask: conservative
          if (ar.result().held() == 0 && l.inFlight == 0 && l.waiting == 0) {
            leases.remove(l.destination);
            budget.shared(l.destination, null);
            return;
          }
          budget.shared(l.destination, l.granted);
          if (l.granted > before && !stopped) {
            grown.run();
          }
        });
  }

  /** Under the destination's lock: read the live entries, decide, record ours (or drop it when idle). */
  private Future<SlotShare> decide(String destination, int wanted, int inUse, boolean turnOver) {
    return map(destination).compose(map -> map.entries().compose(entries -> {
      Map<String, JsonObject> others = new HashMap<>(entries);
      others.remove(nodeKey);
      SlotShare share = SlotShare.decide(cap, others, wanted, inUse, turnOver);
      Future<?> written = share.held() == 0 && wanted == 0 ? map.remove(nodeKey)
          : map.put(nodeKey, share.entry(wanted), leaseMillis);
      return written.map(share);
    }));
  }

  private Future<AsyncMap<String, JsonObject>> map(String destination) {
    return shared.getAsyncMap(budget.mapPrefix() + destination);
  }

  private static final class Lease {
    final String destination;
    int inFlight;
    int waiting;
    int granted;
    long holdingSince; // when granted last went from 0 to more (System.nanoTime)
    long validUntil;
    boolean busy;

    Lease(String destination) {
      this.destination = destination;
      this.validUntil = System.nanoTime();
    }

    /** Nothing once the lease may have expired in the cluster: other nodes may have our slots by then. */
    int allowed(long now) {
      return now - validUntil < 0 ? granted : 0;
    }
  }
}
