package io.hermod.routing;

/**
 * How many delivery jobs per destination this node may have in flight: the seam between the
 * {@link Dispatcher} and a per-destination cap that is either this node's alone ({@link #perNode}) or
 * shared by a cluster (io.hermod.cluster.ClusterSlotLeases, docs/cluster.md). All methods are called on
 * the router's Vert.x context.
 */
public interface DestinationLimits {

  /** Called once from the router's start; {@code grown} is to be called (on that context) when an allowance grew. */
  void start(Runnable grown);

  /** Jobs for {@code destination} this node may have in flight now. */
  int allowed(String destination);

  /**
   * The dispatcher's current demand for {@code destination}: jobs in flight and jobs ready to start. Called
   * often; must be cheap (no I/O). (0, 0) means the destination is idle.
   */
  void demand(String destination, int inFlight, int waiting);

  /** Stops (router stop); gives back what it holds, best effort. */
  void stop();

  /**
   * A job rate of {@code ratePerSecond} for every destination, this node only, in the unit of rate limits:
   * jobs per minute (so that a cluster node's share can be below one a second, docs/cluster.md).
   */
  static DestinationLimits perNodeRate(int ratePerSecond) {
    return perNode(Math.multiplyExact(ratePerSecond, 60));
  }

  /** The same cap for every destination, this node only. */
  static DestinationLimits perNode(int maxPerDestination) {
    return new DestinationLimits() {
      @Override
      public void start(Runnable grown) {
      }

      @Override
      public int allowed(String destination) {
        return maxPerDestination;
      }

      @Override
      public void demand(String destination, int inFlight, int waiting) {
      }

      @Override
      public void stop() {
      }
    };
  }
}
