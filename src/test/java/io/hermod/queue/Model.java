package io.hermod.queue;

import io.hermod.queue.QueueIndex.State;
import io.hermod.spool.Envelope;
import io.hermod.spool.Recipient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The brute-force truth the index is tested against: every envelope, and what the router did with it. */
final class Model {

  final Map<String, Envelope> envelopes = new LinkedHashMap<>();
  final Set<String> taken = new HashSet<>();
  final Set<String> waiting = new HashSet<>();
  final Map<String, String> sites = new HashMap<>();

  void stored(QueueIndex index, Envelope env) {
    envelopes.put(env.id(), env);
    index.stored(env);
  }

  void removed(QueueIndex index, String id) {
    envelopes.remove(id);
    taken.remove(id);
    waiting.remove(id);
    sites.remove(id);
    index.removed(id);
  }

  State state(String id, Instant now) {
    Envelope env = envelopes.get(id);
    if (waiting.contains(id)) {
      return State.WAITING;
    }
    if (taken.contains(id)) {
      return State.ACTIVE;
    }
    if (env.held()) {
      return State.HELD;
    }
    boolean due = env.isDone() || env.bounceDsnId() != null || !env.nextAttempt().isAfter(now);
    return due ? State.READY : State.DEFERRED;
  }

  QueueIndex.Counts counts(Instant now) {
    Map<State, Long> by = new HashMap<>();
    envelopes.keySet().forEach(id -> by.merge(state(id, now), 1L, Long::sum));
    return new QueueIndex.Counts(envelopes.size(), by.getOrDefault(State.HELD, 0L),
        by.getOrDefault(State.DEFERRED, 0L), by.getOrDefault(State.READY, 0L), by.getOrDefault(State.ACTIVE, 0L),
        by.getOrDefault(State.WAITING, 0L));
  }

  static Set<String> pendingDomains(Envelope env) {
    Set<String> out = new TreeSet<>();
    for (Recipient r : env.recipients()) {
      if (!r.state().isFinal()) {
        out.add(r.address().substring(r.address().lastIndexOf('@') + 1).toLowerCase());
      }
    }
    return out;
  }

  /** qshape computed from the envelopes one by one, as ops.QueueShape did. */
  JsonObject shape(Instant now, boolean bySite) {
    Map<String, long[]> rows = new HashMap<>();
    long[] total = new long[AgeBuckets.COUNT];
    for (Envelope env : envelopes.values()) {
      Set<String> domains = pendingDomains(env);
      if (domains.isEmpty()) {
        continue;
      }
      int bucket = AgeBuckets.of(Math.max(0, Duration.between(env.arrival(), now).toMinutes()));
      total[bucket]++;
      Set<String> keys = bySite ? Set.of(sites.getOrDefault(env.id(), QueueIndex.UNROUTED)) : domains;
      keys.forEach(k -> rows.computeIfAbsent(k, x -> new long[AgeBuckets.COUNT])[bucket]++);
    }
    List<Map.Entry<String, long[]>> sorted = new ArrayList<>(rows.entrySet());
    sorted.sort((a, b) -> {
      int bySize = Long.compare(sum(b.getValue()), sum(a.getValue()));
      return bySize != 0 ? bySize : a.getKey().compareTo(b.getKey());
    });
    JsonArray out = new JsonArray();
    sorted.forEach(e -> out.add(row(e.getValue()).put("key", e.getKey())));
    return new JsonObject().put("buckets", new JsonArray(AgeBuckets.LABELS)).put("total", row(total))
        .put("rows", out).put("more", 0);
  }

  private static JsonObject row(long[] counts) {
    JsonArray arr = new JsonArray();
    long sum = 0;
    for (long c : counts) {
      arr.add(c);
      sum += c;
    }
    return new JsonObject().put("total", sum).put("counts", arr);
  }

  private static long sum(long[] counts) {
    long s = 0;
    for (long c : counts) {
      s += c;
    }
    return s;
  }
}
