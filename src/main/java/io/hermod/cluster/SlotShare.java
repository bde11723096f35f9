package io.hermod.cluster;

import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * One node's decision, taken under the destination's cluster lock, of how many connection slots it holds
 * for a destination. Every live node has one entry {"held", "wanted"} in the destination's map (entries
 * expire with their lease); the invariant is that the entries' {@code held} sum to at most the cap.
 *
 * @param granted how many jobs this node may now have in flight
 * @param held    what this node records in its entry: {@code granted}, or more while more connections than
 *                that are still open (slots are only given back once the connections close)
 */
record SlotShare(int granted, int held) {

  static final String HELD = "held";
  static final String WANTED = "wanted";

  /** As {@link #decide(int, Map, int, int, boolean)} for a node whose turn is not over. */
  static SlotShare decide(int cap, Map<String, JsonObject> others, int wanted, int inUse) {
    return decide(cap, others, wanted, inUse, false);
  }

  /**
   * @param others   the other live nodes' entries (this node's own excluded)
   * @param wanted   jobs this node could start now plus those in flight, at most {@code cap}
   * @param inUse    connections this node has open or jobs in flight, whichever is more
   * @param turnOver this node has held slots for a whole turn (one lease) while another node waited
   */
  static SlotShare decide(int cap, Map<String, JsonObject> others, int wanted, int inUse, boolean turnOver) {
    int othersHeld = 0;
    int contenders = wanted > 0 ? 1 : 0;
    boolean othersStarved = false;
    for (JsonObject e : others.values()) {
      int held = e.getInteger(HELD, 0);
      int want = e.getInteger(WANTED, 0);
      othersHeld += held;
      contenders += want > 0 ? 1 : 0;
      othersStarved |= want > held;
    }
    int free = Math.max(0, cap - othersHeld);
    // While another node waits for slots, keep no more than an equal share of what we want, so that it gets
    // some as ours close (idle connections included); otherwise keep what is open too (idle, for reuse).
    int desired = othersStarved ? Math.min(wanted, Math.max(1, cap / Math.max(1, contenders)))
        : Math.max(wanted, inUse);
    if (othersStarved && contenders > cap && turnOver) {
      // More nodes want the destination than there are slots: an equal share would be less than one, so the
      // nodes take turns. After a turn this node gives its slots back (as its connections close) and waits.
      desired = 0;
    }
    int granted = Math.min(desired, free);
    return new SlotShare(granted, Math.max(granted, inUse));
  }

  JsonObject entry(int wanted) {
    return new JsonObject().put(HELD, held).put(WANTED, wanted);
  }
}
