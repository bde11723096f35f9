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
 * arrival's), which is within a minute of the age qshape computes from seconds.
 *
 * <p>Only the last {@value #EXACT_MINUTES} minutes of arrivals (behind the newest one) keep a pair per minute:
 * older ones are folded, once an hour of arrivals, into one pair per key, which always falls in the last
 * bucket (older than 160 minutes). So a queue of days holds a day of pairs per key, not one per message of
 * a long tail. The price: a shape asked for a {@code now} more than a day before the newest arrival (a clock
 * set back) shows the folded messages as older than they were then. Not thread-safe.
 */
final class ShapeCounters {

  static final int EXACT_MINUTES = 24 * 60;
  /** The minute of the folded pairs: before any real one. */
  private static final int FOLDED = Integer.MIN_VALUE;
  private static final int FOLD_EVERY = 60;

  private final PairCounts pairs = new PairCounts();
  /** Arrival minutes below this are counted in the key's FOLDED pair. */
  private int foldedBelow = FOLDED + 1;

  void add(int key, int arrivalMinute, int delta) {
    if ((long) arrivalMinute - EXACT_MINUTES - foldedBelow >= FOLD_EVERY) {
      fold(arrivalMinute - EXACT_MINUTES);
    }
    pairs.add(key, arrivalMinute < foldedBelow ? FOLDED : arrivalMinute, delta);
  }

  /** Moves the counts of the arrival minutes below {@code below} into their keys' FOLDED pairs. */
  private void fold(int below) {
    foldedBelow = below;
    List<int[]> moving = new ArrayList<>();
    pairs.forEach((key, minute, count) -> {
      if (minute != FOLDED && minute < below) {
        moving.add(new int[] {key, minute, count});
      }
    });
    for (int[] m : moving) {
      pairs.add(m[0], m[1], -m[2]);
      pairs.add(m[0], FOLDED, m[2]);
    }
  }

  /** Counts per key, each by age bucket at {@code nowMinute}. */
  Map<Integer, long[]> byKey(int nowMinute) {
    Map<Integer, long[]> rows = new HashMap<>();
    pairs.forEach((key, minute, count) ->
        rows.computeIfAbsent(key, k -> new long[AgeBuckets.COUNT])[bucket(nowMinute, minute)] += count);
    return rows;
  }

  private static int bucket(int nowMinute, int arrivalMinute) {
    if (arrivalMinute == FOLDED) {
      return AgeBuckets.COUNT - 1;
    }
    return AgeBuckets.of(Math.max(0L, (long) nowMinute - arrivalMinute));
  }

  long memoryBytes() {
    return 24 + pairs.memoryBytes();
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
