package io.hermod.shaping;

import java.util.List;
import java.util.Locale;

/**
 * A provider rule (KumoMTA's provider block, PowerMTA's mx-rollup): every site whose MX hosts <em>all</em> end
 * in one of {@code mxSuffixes} is one site named {@code provider:<name>}, with its own connection cap and rate
 * when given.
 *
 * @param name           a short label, also used in metrics tags ([a-z0-9_-], at most 32 characters)
 * @param mxSuffixes     host-name suffixes, lower case, each starting with a dot (".google.com" matches
 *                       "aspmx.l.google.com", not "google.com" itself nor "notgoogle.com")
 * @param maxConnections connections this node may have open to the provider at once; 0 = delivery.maxConnectionsPerDestination
 * @param ratePerMinute  delivery jobs per minute to the provider, this node; 0 = delivery.ratePerDestination
 */
public record Provider(String name, List<String> mxSuffixes, int maxConnections, int ratePerMinute) {

  public Provider {
    if (!name.matches("[a-z0-9_-]{1,32}")) {
      throw new IllegalArgumentException("provider name must be 1-32 of a-z, 0-9, _ and -: " + name);
    }
    if (mxSuffixes.isEmpty()) {
      throw new IllegalArgumentException("provider " + name + " needs at least one MX suffix");
    }
    mxSuffixes = mxSuffixes.stream().map(Provider::suffix).toList();
  }

  /** "*.google.com", ".google.com" and "google.com" all mean ".google.com" (a name below google.com). */
  private static String suffix(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.startsWith("*")) {
      s = s.substring(1);
    }
    if (s.endsWith(".")) {
      s = s.substring(0, s.length() - 1);
    }
    if (!s.startsWith(".")) {
      s = "." + s;
    }
    if (s.length() < 3 || s.contains("..") || s.contains("*")) {
      throw new IllegalArgumentException("not an MX host suffix: " + text);
    }
    return s;
  }

  /** The queue's site name for this provider. */
  public String site() {
    return "provider:" + name;
  }

  boolean matches(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    h = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    String name = h;
    return mxSuffixes.stream().anyMatch(name::endsWith);
  }
}
