package io.hermod.egress;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Picks the egress source of each delivery job (docs/delivery.md "Sources and pools"). Pure apart from its
 * round-robin counters; not thread-safe (the router uses it on its context).
 *
 * <p>The <b>pool</b> of a message is the first that applies of: the pool its hermod.submit request named
 * (persisted in the envelope), its authenticated user's pool, its sender domain's pool, the default pool. A
 * name that is no longer configured (a reload removed it) is passed over. No pool: the default source.
 *
 * <p>The <b>source</b> is picked from the pool's sources that exist on this node, by smooth weighted round robin
 * (nginx's: each pick adds every candidate's weight to its counter, takes the largest counter and subtracts the
 * candidates' total from it), so weights 1 and 3 give exactly one job in four and three in four, interleaved.
 * Sources whose (source, site) queue is suspended are left out while another source of the pool is not, so a
 * throttled address does not hold up its pool's mail for that site; when all are, the pick is among all. A pool
 * none of whose sources exists on this node gives the default source (null).
 */
public final class EgressSelector {

  /** The router's view of one (source, site) queue. */
  @FunctionalInterface
  public interface QueueState {
    /** True while jobs of {@code source} to {@code site} are held back (a suspension or a dead mark). */
    boolean paused(String source, String site);
  }

  private final EgressConfig config;
  private final QueueState queues;
  private final Map<String, Members> members = new HashMap<>();

  /**
   * @param usable the sources whose address exists on this node ({@link SourceAddresses}); the others are never
   *               picked
   */
  public EgressSelector(EgressConfig config, Set<String> usable, QueueState queues) {
    this.config = config;
    this.queues = queues;
    config.pools().forEach((name, pool) -> {
      List<String> names = new ArrayList<>();
      List<Integer> weights = new ArrayList<>();
      pool.weights().forEach((source, weight) -> {
        if (usable.contains(source)) {
          names.add(source);
          weights.add(weight);
        }
      });
      members.put(name, new Members(names, weights));
    });
  }

  /** Without sources or pools: always the default source. */
  public static EgressSelector none() {
    return new EgressSelector(EgressConfig.NONE, Set.of(), (source, site) -> false);
  }

  /**
   * The pool of a message, or null for none.
   *
   * @param requestedPool the pool its hermod.submit request named, or null
   * @param authUser      the authenticated submitter, or null
   * @param sender        the reverse-path without brackets, "" for the null sender
   */
  public String pool(String requestedPool, String authUser, String sender) {
    if (config.hasPool(requestedPool)) {
      return requestedPool;
    }
    String byUser = authUser == null ? null : config.poolByUser().get(authUser);
    if (config.hasPool(byUser)) {
      return byUser;
    }
    String domain = senderDomain(sender);
    String byDomain = domain == null ? null : config.poolBySenderDomain().get(domain);
    if (config.hasPool(byDomain)) {
      return byDomain;
    }
    return config.hasPool(config.defaultPool()) ? config.defaultPool() : null;
  }

  /** The source for the next job of this message to {@code site}, or null for the default source. */
  public String source(String requestedPool, String authUser, String sender, String site) {
    String pool = pool(requestedPool, authUser, sender);
    return pool == null ? null : pick(pool, site);
  }

  /** The next source of {@code pool} for a job to {@code site}; null when none of its sources is usable. */
  public String pick(String pool, String site) {
    Members m = members.get(pool);
    if (m == null || m.names.length == 0) {
      return null;
    }
    boolean[] eligible = new boolean[m.names.length];
    boolean any = false;
    for (int i = 0; i < eligible.length; i++) {
      eligible[i] = !queues.paused(m.names[i], site);
      any |= eligible[i];
    }
    if (!any) {
      java.util.Arrays.fill(eligible, true);
    }
    return m.names[m.next(eligible)];
  }

  /** "a@Example.COM." gives "example.com"; the null sender and a path without domain give null. */
  static String senderDomain(String sender) {
    int at = sender == null ? -1 : sender.lastIndexOf('@');
    if (at < 0 || at == sender.length() - 1) {
      return null;
    }
    String d = sender.substring(at + 1).toLowerCase(Locale.ROOT);
    return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
  }

  /** A pool's usable sources with their weights and smooth weighted round-robin counters. */
  private static final class Members {
    final String[] names;
    final int[] weights;
    final long[] current;

    Members(List<String> names, List<Integer> weights) {
      this.names = names.toArray(String[]::new);
      this.weights = weights.stream().mapToInt(Integer::intValue).toArray();
      this.current = new long[this.names.length];
    }

    int next(boolean[] eligible) {
      long total = 0;
      int best = -1;
      for (int i = 0; i < names.length; i++) {
        if (!eligible[i]) {
          continue;
        }
        current[i] += weights[i];
        total += weights[i];
        if (best < 0 || current[i] > current[best]) {
          best = i;
        }
      }
      current[best] -= total;
      return best;
    }
  }
}
