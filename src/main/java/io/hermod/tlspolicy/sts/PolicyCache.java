package io.hermod.tlspolicy.sts;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Fetched MTA-STS policies, used while within their max_age (RFC 8461 §5.1), kept at three levels:
 * <ul>
 *   <li>this node's memory, at most {@code maxEntries} (beyond, the entry that expires first goes);</li>
 *   <li>a file under the spool directory ({@link PolicyFile}), rewritten after each change by one write at a
 *       time on a worker thread, and read at start: the cache survives a restart;</li>
 *   <li>the Vert.x shared-data map {@value #MAP} (cluster-wide on a clustered Vert.x, node-local otherwise),
 *       each entry living until its policy expires: a policy one node fetched serves the others.</li>
 * </ul>
 * Thread-safe (the router and the refresh timer may run on different contexts); the file is written off them.
 */
final class PolicyCache {

  static final String MAP = "hermod.mta-sts.policies";
  private static final Logger LOG = Logger.getLogger(PolicyCache.class.getName());

  private final Vertx vertx;
  private final PolicyFile file;
  private final int maxEntries;
  private final Clock clock;
  private final Map<String, CachedPolicy> memory = new ConcurrentHashMap<>();
  private Future<AsyncMap<String, String>> shared;
  private boolean writing;
  private boolean dirty;

  PolicyCache(Vertx vertx, PolicyFile file, int maxEntries, Clock clock) {
    this.vertx = vertx;
    this.file = file;
    this.maxEntries = maxEntries;
    this.clock = clock;
  }

  /** Reads the file (expired policies are left out). */
  Future<Integer> load() {
    return vertx.executeBlocking(file::load, false).map(loaded -> {
      Instant now = clock.instant();
      loaded.stream().filter(p -> p.fresh(now)).forEach(this::remember);
      return memory.size();
    });
  }

  /** This node's policy for {@code domain} while fresh. */
  Optional<CachedPolicy> local(String domain) {
    CachedPolicy p = memory.get(domain);
    return p != null && p.fresh(clock.instant()) ? Optional.of(p) : Optional.empty();
  }

  /** The cluster's policy for {@code domain} while fresh (remembered here too); empty when none or unreadable. */
  Future<Optional<CachedPolicy>> shared(String domain) {
    return sharedMap().compose(map -> map.get(domain)).map(text -> {
      if (text == null) {
        return Optional.<CachedPolicy>empty();
      }
      CachedPolicy p = CachedPolicy.fromJson(new JsonObject(text));
      if (!p.fresh(clock.instant())) {
        return Optional.<CachedPolicy>empty();
      }
      remember(p);
      scheduleWrite();
      return Optional.of(p);
    }).otherwise(e -> {
      LOG.fine("MTA-STS shared policy of " + domain + " unreadable: " + e);
      return Optional.empty();
    });
  }

  /** A newly fetched policy: here, on disk soon, and in the shared map until it expires. */
  Future<Void> put(CachedPolicy policy) {
    remember(policy);
    scheduleWrite();
    long ttl = Duration.between(clock.instant(), policy.expires()).toMillis();
    if (ttl <= 0) {
      return Future.succeededFuture();
    }
    return sharedMap().compose(map -> map.put(policy.domain(), policy.toJson().encode(), ttl))
        .onFailure(e -> LOG.warning("MTA-STS: cannot share the policy of " + policy.domain() + ": " + e));
  }

  /** Fresh policies past half their max_age. */
  List<CachedPolicy> dueForRefresh() {
    Instant now = clock.instant();
    return memory.values().stream().filter(p -> p.fresh(now) && p.dueForRefresh(now)).toList();
  }

  int size() {
    return memory.size();
  }

  /** Resolves when the file holds everything put so far (tests, stop). */
  Future<Void> flushed() {
    if (idle()) {
      return Future.succeededFuture();
    }
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    vertx.setTimer(10, t -> flushed().onComplete(done));
    return done.future();
  }

  private synchronized boolean idle() {
    return !writing && !dirty;
  }

  private synchronized void remember(CachedPolicy policy) {
    memory.put(policy.domain(), policy);
    Instant now = clock.instant();
    memory.values().removeIf(p -> !p.fresh(now));
    while (memory.size() > maxEntries) {
      CachedPolicy first = memory.values().stream().min(Comparator.comparing(CachedPolicy::expires)).orElseThrow();
      memory.remove(first.domain());
    }
  }

  /** One write at a time; changes made meanwhile are written by the next one. */
  private synchronized void scheduleWrite() {
    dirty = true;
    if (writing) {
      return;
    }
    writing = true;
    dirty = false;
    List<CachedPolicy> snapshot = new ArrayList<>(memory.values());
    vertx.executeBlocking(() -> {
      file.replace(snapshot);
      return null;
    }, false).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warning("MTA-STS: cannot write the policy cache " + file.path() + ": " + ar.cause());
      }
      written();
    });
  }

  private synchronized void written() {
    writing = false;
    if (dirty) {
      scheduleWrite();
    }
  }

  private synchronized Future<AsyncMap<String, String>> sharedMap() {
    if (shared == null) {
      shared = vertx.sharedData().getAsyncMap(MAP);
    }
    return shared;
  }
}
