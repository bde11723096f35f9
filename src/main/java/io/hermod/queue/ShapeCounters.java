package io.hermod.queue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The counters behind qshape: how many messages arrived in each clock minute, per key (a domain or site id),
 * kept up to date on every change. A shape walks the (key, minute) pairs, never the messages: at most one
 * pair per key and minute, however deep the queue. Ages are whole clock minutes (now's minute minus the
 * arrival's), which is within a minute of the age qshape computes from seconds. Not thread-safe.
 */
final class ShapeCounters {

  private final PairCounts pairs = new PairCounts();

  void add(int key, int arrivalMinute, int delta) {
    pairs.add(key, arrivalMinute, delta);
  }

  /** Counts per key, each by age bucket at {@code nowMinute}. */
  Map<Integer, long[]> byKey(int nowMinute) {
    Map<Integer, long[]> rows = new HashMap<>();
    pairs.forEach((key, minute, count) ->
        rows.computeIfAbsent(key, k -> new long[AgeBuckets.COUNT])[AgeBuckets.of(Math.max(0, nowMinute - minute))]
            += count);
    return rows;
  }

  long memoryBytes() {
    return 16 + pairs.memoryBytes();
  }

  /**
   * The qshape JSON: {@code total} from {@code totals} (one key), rows from {@code rows} named by
   * {@code name}, largest first (ties by name), at most {@code limit} of them and "more" for the rest.
   */
  static JsonObject toJson(ShapeCounters totals, ShapeCounters rows, int nowMinute, IntFunction<String> name,
                           int limit) {
    long[] total = new long[AgeBuckets.COUNT];
    totals.byKey(nowMinute).values().forEach(counts -> {
      for (int i = 0; i < total.length; i++) {
        total[i] += counts[i];
      }
    });
    List<Map.Entry<String, long[]>> named = new ArrayList<>();
    rows.byKey(nowMinute).forEach((key, counts) -> named.add(Map.entry(name.apply(key), counts)));
    named.sort((a, b) -> {
      int bySize = Long.compare(sum(b.getValue()), sum(a.getValue()));
      return bySize != 0 ? bySize : a.getKey().compareTo(b.getKey());
    });
    JsonArray out = new JsonArray();
    int shown = Math.min(Math.max(0, limit), named.size());
    for (Map.Entry<String, long[]> e : named.subList(0, shown)) {
      out.add(row(e.getValue()).put("key", e.getKey()));
    }
    return new JsonObject().put("buckets", new JsonArray(AgeBuckets.LABELS)).put("total", row(total))
        .put("rows", out).put("more", named.size() - shown);
  }

  private static JsonObject row(long[] counts) {
    JsonArray byBucket = new JsonArray(Arrays.stream(counts).boxed().toList());
    return new JsonObject().put("total", sum(counts)).put("counts", byBucket);
  }

  private static long sum(long[] counts) {
    return Arrays.stream(counts).sum();
  }
}
