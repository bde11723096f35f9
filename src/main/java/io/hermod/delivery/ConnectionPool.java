package io.hermod.delivery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Connection slots and idle sessions of one delivery verticle, keyed by destination and host:port. A slot
 * is taken before connecting and held until the connection is closed, so the caps count connecting, busy
 * and idle connections alike. Not thread-safe: used on the verticle's context only.
 */
final class ConnectionPool {

  private final Vertx vertx;
  private final io.vertx.core.Context context;
  private final DeliverySettings options;
  private final NodeConnections node;
  private final java.util.function.Consumer<String> onLimitLowered;
  private final Map<String, Integer> openPerDestination = new HashMap<>();
  private final Map<String, Integer> openPerHost = new HashMap<>(); // "address:port", over all destinations
  // Insertion order = the order sessions went idle: the first is the one idle the longest.
  private final Set<PooledSession> idle = new LinkedHashSet<>();
  private final Set<PooledSession> busy = new LinkedHashSet<>();
  private int open;
  /**
   * Idle sessions are closed by one periodic sweep (they are in the order they went idle), not by a timer set
   * and cancelled per message (issue #17): a session is closed between idleTimeoutMs and idleTimeoutMs plus
   * one sweep interval after it went idle.
   */
  private final long sweeper;

  /** Created on the verticle's context; counts its connections in {@code node} and obeys its limits. */
  ConnectionPool(Vertx vertx, DeliverySettings options, NodeConnections node) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.options = options;
    this.node = node;
    this.onLimitLowered = destination -> context.runOnContext(v -> closeIdleOverLimit(destination));
    node.onLowered(onLimitLowered);
    this.sweeper = vertx.setPeriodic(sweepIntervalMs(options.idleTimeoutMs()), id -> closeExpiredIdle());
  }

  /**
   * An idle session of this destination to one of {@code hosts}, earliest host first, now busy; or null.
   * Only a session whose TLS proved what the host's policy demands qualifies ({@link PooledSession#serves}): a
   * plaintext or merely encrypted session never carries a job that needs verified TLS. Sessions the server
   * closed meanwhile are dropped on the way.
   */
  PooledSession takeIdle(String destination, List<DeliveryJob.Host> hosts) {
    // Dead sessions are dropped as they are met here, by the sweep, and by reserve at a cap: not by a pass over
    // every idle session per job (issue #17).
    for (DeliveryJob.Host h : hosts) {
      for (var it = idle.iterator(); it.hasNext(); ) {
        PooledSession s = it.next();
        if (s.destination().equals(destination) && s.serves(h)) {
          it.remove();
          if (!s.session().isUsable()) {
            closeDead(s);
            continue;
          }
          busy.add(s);
          return s;
        }
      }
    }
    return null;
  }

  /**
   * Takes a connection slot for {@code destination} if both caps (and the node's limit, {@link NodeConnections})
   * allow it, closing an idle session that stands in the way (one to another host of the destination, or the
   * longest-idle one anywhere).
   *
   * @return false when at a cap with nothing idle to close: the caller refuses the job as busy
   */
  boolean reserve(String destination) {
    if (destinationFull(destination) || full()) {
      dropDeadIdle(); // their slots are free before an idle one is evicted or the job refused
    }
    if (destinationFull(destination) && !evictIdle(destination)) {
      return false;
    }
    if (full() && !evictIdle(null)) {
      return false;
    }
    open++;
    openPerDestination.merge(destination, 1, Integer::sum);
    node.opened(destination);
    return true;
  }

  /**
   * Takes a slot on {@code host} for a connection attempt if {@code delivery.maxConnectionsPerHost} allows
   * (several destinations often share MX hosts); the slot stays with the session once connected.
   */
  boolean tryHost(DeliveryJob.Host host) {
    int cap = options.maxConnectionsPerHost();
    String key = hostKey(host);
    if (cap > 0 && openPerHost.getOrDefault(key, 0) >= cap) {
      // An idle session to this host (kept for another destination) gives way; its slot is free once its
      // QUIT is done, so this attempt still waits (busy) and the next one gets it.
      for (PooledSession s : idle) {
        if (s.reaches(host)) {
          idle.remove(s);
          if (!s.session().isUsable()) {
            closeDead(s); // its slot is free now: this attempt takes it
            return tryHost(host);
          }
          quitAndRelease(s);
          break;
        }
      }
      return false;
    }
    openPerHost.merge(key, 1, Integer::sum);
    return true;
  }

  /** Gives back a host slot (failed attempt, or its session closed). */
  void releaseHost(DeliveryJob.Host host) {
    openPerHost.computeIfPresent(hostKey(host), (k, n) -> n > 1 ? n - 1 : null);
  }

  int perHost(DeliveryJob.Host host) {
    return openPerHost.getOrDefault(hostKey(host), 0);
  }

  private static String hostKey(DeliveryJob.Host host) {
    return host.address() + ":" + host.port();
  }

  /** A session's connection is closed: its destination and host slots are free again. */
  private void release(PooledSession s) {
    unreserve(s.destination());
    releaseHost(s.host());
  }

  /** Gives back a slot whose connection attempt failed. */
  void unreserve(String destination) {
    open--;
    // After closeAll a late release (a QUIT or connect that was under way) was already counted off the node.
    if (openPerDestination.containsKey(destination)) {
      node.closed(destination);
    }
    openPerDestination.computeIfPresent(destination, (k, n) -> n > 1 ? n - 1 : null);
  }

  /** A freshly connected session in a reserved slot, busy. */
  PooledSession register(String destination, DeliveryJob.Host host, SmtpClientSession session) {
    PooledSession s = new PooledSession(destination, host, session);
    busy.add(s);
    return s;
  }

  /**
   * After a transaction: keeps the session for reuse if it may carry another one (RFC 5321 §4.1.4 allows
   * many transactions per session; maxMessagesPerConnection bounds it), else says QUIT. The future
   * completes once the slot is settled, so the job's report (which frees the router's credit) never
   * arrives while the retired connection still counts.
   */
  Future<Void> giveBack(PooledSession s) {
    if (!busy.remove(s)) {
      return Future.succeededFuture(); // closed by closeAll meanwhile
    }
    // Over the node's limit (a cluster lease shrank, docs/cluster.md): retire it rather than keep it idle.
    if (!s.session().isUsable() || s.transactions() >= options.maxMessagesPerConnection()
        || node.excess(s.destination()) > 0) {
      return atMost(quitAndRelease(s), QUIT_WAIT_MS);
    }
    idle.add(s);
    s.wentIdle(System.nanoTime());
    return Future.succeededFuture();
  }

  /**
   * Whether busy session {@code s} may carry {@code next} right after its current transaction, as if it went back
   * to the pool and {@code next} took it: same destination, one of {@code next}'s hosts with the TLS its policy
   * demands ({@link PooledSession#serves}), and room for two more transactions under maxMessagesPerConnection
   * within the node's limit. (Whether the server allows sending its envelope early is the session's business.)
   */
  boolean mayCarryNext(PooledSession s, DeliveryJob next) {
    if (!s.destination().equals(next.queueKey()) || s.transactions() + 2 > options.maxMessagesPerConnection()
        || node.excess(s.destination()) > 0) {
      return false;
    }
    for (DeliveryJob.Host h : next.hosts()) {
      if (s.serves(h)) {
        return true;
      }
    }
    return false;
  }

  /** A quarter of the idle time, within 10 ms and 1 s. */
  static long sweepIntervalMs(long idleTimeoutMs) {
    return Math.max(10, Math.min(1000, idleTimeoutMs / 4));
  }

  /** At delivery.maxConnectionsPerDestination, or at the node's limit for it (NodeConnections). */
  private boolean destinationFull(String destination) {
    return perDestination(destination) >= options.maxConnectionsPerDestination() || node.atLimit(destination);
  }

  /** At delivery.maxConnections. */
  private boolean full() {
    return open >= options.maxConnections();
  }

  /** QUIT to the sessions idle for idleTimeoutMs or longer: the first ones, as idle keeps the order they went idle. */
  private void closeExpiredIdle() {
    dropDeadIdle();
    long now = System.nanoTime();
    long limit = options.idleTimeoutMs() * 1_000_000L;
    for (var it = idle.iterator(); it.hasNext(); ) {
      PooledSession s = it.next();
      if (s.idleNanos(now) < limit) {
        return;
      }
      it.remove();
      quitAndRelease(s);
    }
  }

  /**
   * The report waits for a retiring connection's QUIT only this long: a remote slow to answer QUIT must not
   * hold up recording the delivery (that would widen the at-least-once window). The slot itself is still
   * held until the socket is closed.
   */
  private static final long QUIT_WAIT_MS = 2000;

  private Future<Void> atMost(Future<Void> f, long ms) {
    if (f.isComplete()) {
      return f;
    }
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    long timer = vertx.setTimer(ms, t -> done.tryComplete());
    f.onComplete(x -> {
      vertx.cancelTimer(timer);
      done.tryComplete();
    });
    return done.future();
  }

  /**
   * QUIT, and give the slot back only once the socket is closed: until then the connection still counts
   * against the caps (the remote sees it open), so a new one cannot push the count over them.
   */
  private Future<Void> quitAndRelease(PooledSession s) {
    return s.session().quit().onComplete(x -> release(s));
  }

  /** Closes a busy session that cannot be used again (failed, or its reuse check failed). */
  void discard(PooledSession s) {
    if (busy.remove(s)) {
      s.session().close();
      release(s);
    }
  }

  /** QUIT to every idle session, closes busy ones; completes when the QUITs are done. */
  Future<Void> closeAll() {
    List<Future<Void>> quits = new ArrayList<>();
    vertx.cancelTimer(sweeper);
    for (PooledSession s : idle) {
      quits.add(s.session().quit());
    }
    busy.forEach(s -> s.session().close());
    idle.clear();
    busy.clear();
    node.removeListener(onLimitLowered);
    openPerDestination.forEach((destination, n) -> {
      for (int i = 0; i < n; i++) {
        node.closed(destination);
      }
    });
    openPerDestination.clear();
    openPerHost.clear();
    open = 0;
    return Future.join(quits).mapEmpty();
  }

  int open() {
    return open;
  }

  int perDestination(String destination) {
    return openPerDestination.getOrDefault(destination, 0);
  }

  /** The node's limit for {@code destination} fell: QUIT to idle sessions (longest idle first) until within it. */
  private void closeIdleOverLimit(String destination) {
    // A connection counts until its QUIT is done, so evict the excess once instead of until within the limit
    // (several pools may each evict it: closing an idle connection too many only costs a reconnect).
    for (int excess = node.excess(destination); excess > 0; excess--) {
      if (!evictIdle(destination)) {
        return;
      }
    }
  }

  /** Closes the longest-idle session of {@code destination} (any destination when null). */
  private boolean evictIdle(String destination) {
    for (PooledSession s : idle) {
      if (destination == null || s.destination().equals(destination)) {
        idle.remove(s);
        quitAndRelease(s);
        return true;
      }
    }
    return false;
  }

  private void dropDeadIdle() {
    idle.removeIf(s -> {
      if (s.session().isUsable()) {
        return false;
      }
      closeDead(s);
      return true;
    });
  }

  /** Closes a session found unusable (the server closed it) and frees its slots. */
  private void closeDead(PooledSession s) {
    s.session().close();
    release(s);
  }

}
