package io.hermod.delivery;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The outbound connections of this node per destination, over all delivery verticles (connecting, busy or
 * idle: the remote sees them all), and how many of them this node may keep open. Nothing limits them here
 * until {@link #limit} is called: a cluster-wide cap (io.hermod.cluster.ClusterSlotLeases, docs/cluster.md)
 * counts them in the node's share and lowers the limit when other nodes need slots; pools then close idle
 * connections above it and retire busy ones instead of keeping them for reuse. Thread-safe: the delivery
 * verticles and the router run on different contexts.
 */
public final class NodeConnections {

  private final ConcurrentMap<String, Integer> open = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Integer> limits = new ConcurrentHashMap<>();
  private final List<Consumer<String>> lowered = new CopyOnWriteArrayList<>();

  /** Connections to {@code destination} open on this node now. */
  public int open(String destination) {
    return open.getOrDefault(destination, 0);
  }

  /** This node may keep at most {@code max} connections to {@code destination} open. */
  public void limit(String destination, int max) {
    limits.put(destination, max);
    if (open(destination) > max) {
      lowered.forEach(l -> l.accept(destination));
    }
  }

  /** No node-wide limit for {@code destination} any more (each pool's own cap still holds). */
  public void unlimit(String destination) {
    limits.remove(destination);
  }

  /** How many more connections to {@code destination} are open than this node may keep (0 without a limit). */
  int excess(String destination) {
    Integer max = limits.get(destination);
    return max == null ? 0 : Math.max(0, open(destination) - max);
  }

  /** True when a new connection to {@code destination} would take this node over its limit. */
  boolean atLimit(String destination) {
    Integer max = limits.get(destination);
    return max != null && open(destination) >= max;
  }

  /** {@code listener} hears (on the caller's thread) of a destination with more connections open than its limit. */
  void onLowered(Consumer<String> listener) {
    lowered.add(listener);
  }

  void removeListener(Consumer<String> listener) {
    lowered.remove(listener);
  }

  void opened(String destination) {
    open.merge(destination, 1, Integer::sum);
  }

  void closed(String destination) {
    open.computeIfPresent(destination, (d, n) -> n > 1 ? n - 1 : null); // only destinations with connections
  }
}
