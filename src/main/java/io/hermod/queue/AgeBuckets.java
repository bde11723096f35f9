package io.hermod.queue;

import java.util.List;

/** Postfix qshape's age buckets: minutes since arrival, each bucket twice as wide as the one before. */
final class AgeBuckets {

  /** Upper bounds of the buckets in minutes; the last bucket is everything older. */
  static final int[] BOUNDS = {5, 10, 20, 40, 80, 160};
  static final List<String> LABELS = List.of("0-5m", "5-10m", "10-20m", "20-40m", "40-80m", "80-160m", ">160m");
  static final int COUNT = LABELS.size();

  private AgeBuckets() {
  }

  static int of(long ageMinutes) {
    for (int i = 0; i < BOUNDS.length; i++) {
      if (ageMinutes < BOUNDS[i]) {
        return i;
      }
    }
    return BOUNDS.length;
  }
}
