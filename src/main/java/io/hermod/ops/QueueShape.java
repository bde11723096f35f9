package io.hermod.ops;

import io.hermod.spool.Envelope;
import io.hermod.spool.Recipient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The queue's shape, as Postfix's qshape prints it: per destination domain, how many messages still have a
 * recipient there, by age since arrival. A message counts once per domain however many recipients it has
 * there.
 */
final class QueueShape {

  /** Upper bounds of the age buckets in minutes; the last bucket is everything older. */
  static final int[] BOUNDS = {5, 10, 20, 40, 80, 160};
  static final List<String> LABELS = List.of("0-5m", "5-10m", "10-20m", "20-40m", "40-80m", "80-160m", ">160m");

  private final Instant now;
  private final Map<String, long[]> byDomain = new HashMap<>();
  private final long[] total = new long[LABELS.size()];

  QueueShape(Instant now) {
    this.now = now;
  }

  void add(Envelope env) {
    int bucket = bucket(Duration.between(env.arrival(), now));
    Set<String> domains = new HashSet<>();
    for (Recipient r : env.recipients()) {
      if (!r.state().isFinal()) {
        domains.add(MessageView.domain(r.address()));
      }
    }
    for (String d : domains) {
      byDomain.computeIfAbsent(d, x -> new long[LABELS.size()])[bucket]++;
    }
    if (!domains.isEmpty()) {
      total[bucket]++;
    }
  }

  static int bucket(Duration age) {
    long minutes = Math.max(0, age.toMinutes());
    for (int i = 0; i < BOUNDS.length; i++) {
      if (minutes < BOUNDS[i]) {
        return i;
      }
    }
    return BOUNDS.length;
  }

  /** {"buckets": [...], "total": {...}, "domains": [{"domain", "total", "counts": [...]}]}, largest first. */
  JsonObject toJson() {
    JsonArray domains = new JsonArray();
    byDomain.entrySet().stream()
        .sorted((a, b) -> {
          int bySize = Long.compare(sum(b.getValue()), sum(a.getValue()));
          return bySize != 0 ? bySize : a.getKey().compareTo(b.getKey());
        })
        .forEach(e -> domains.add(row(e.getValue()).put("domain", e.getKey())));
    return new JsonObject().put("buckets", new JsonArray(LABELS)).put("total", row(total)).put("domains", domains);
  }

  private static JsonObject row(long[] counts) {
    JsonArray arr = new JsonArray();
    for (long c : counts) {
      arr.add(c);
    }
    return new JsonObject().put("total", sum(counts)).put("counts", arr);
  }

  private static long sum(long[] counts) {
    long s = 0;
    for (long c : counts) {
      s += c;
    }
    return s;
  }
}
