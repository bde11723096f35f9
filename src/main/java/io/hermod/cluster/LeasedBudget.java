package io.hermod.cluster;

import io.hermod.delivery.NodeConnections;

/**
 * What kind of per-destination budget a {@link ClusterSlotLeases} shares among the nodes (docs/cluster.md):
 * connection slots, or a job rate. The lease machinery (cluster map with expiring entries, lock, equal shares
 * while a node waits) is the same; what a node asks for and what it cannot give back at once differ.
 */
interface LeasedBudget {

  String SLOTS_PREFIX = "hermod.slots.";
  String RATE_PREFIX = "hermod.rate.";

  /** The cluster map of destination {@code d} is {@code mapPrefix() + d}; its lock has the same name. */
  String mapPrefix();

  /** How much of {@code cap} this node asks for, from its dispatcher's demand. */
  int wanted(int cap, int inFlight, int waiting);

  /** What this node uses now and can only give back as it ends (open connections); recorded as held. */
  int inUse(String destination, int inFlight);

  /** This node's share of {@code destination} is now {@code granted}; {@code null}: it holds no lease any more. */
  void shared(String destination, Integer granted);

  /**
   * Connection slots (delivery.maxConnectionsPerDestination): a node asks for its jobs in flight and waiting,
   * and holds its open connections, idle ones included, until they close; its share is its connection limit.
   */
  static LeasedBudget connectionSlots(NodeConnections connections) {
    return new LeasedBudget() {
      @Override
      public String mapPrefix() {
        return SLOTS_PREFIX;
      }

      @Override
      public int wanted(int cap, int inFlight, int waiting) {
        return Math.min(cap, inFlight + waiting);
      }

      @Override
      public int inUse(String destination, int inFlight) {
        return Math.max(inFlight, connections.open(destination));
      }

      @Override
      public void shared(String destination, Integer granted) {
        if (granted == null) {
          connections.unlimit(destination);
        } else {
          connections.limit(destination, granted);
        }
      }
    };
  }

  /**
   * A job rate (delivery.ratePerDestination) in jobs per minute, so that shares below one a second exist: a node
   * with jobs waiting asks for the whole rate (the equal-share rule splits it), and a rate is given back at
   * once (the dispatcher's bucket slows down at its next job), so nothing is held beyond the share.
   */
  static LeasedBudget jobRate() {
    return new LeasedBudget() {
      @Override
      public String mapPrefix() {
        return RATE_PREFIX;
      }

      @Override
      public int wanted(int cap, int inFlight, int waiting) {
        return waiting > 0 ? cap : 0;
      }

      @Override
      public int inUse(String destination, int inFlight) {
        return 0;
      }

      @Override
      public void shared(String destination, Integer granted) {
      }
    };
  }
}
