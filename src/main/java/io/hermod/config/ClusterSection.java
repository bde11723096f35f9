package io.hermod.config;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Reads and checks the "cluster" section (docs/cluster.md). */
final class ClusterSection {

  /** The shortest slot lease (cluster.slotLeaseSeconds) other than 0. */
  static final int MIN_LEASE_SECONDS = 3;

  /** A Kubernetes Service name: an RFC 1035 label (DNS-1035), as the API server requires. */
  private static final Pattern SERVICE_NAME = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
  /** A namespace: an RFC 1123 label. */
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private ClusterSection() {
  }

  static ClusterConfig bind(JsonSection s) {
    boolean enabled = s.bool("enabled");
    String hostText = s.optionalString("host");
    String host = hostText == null ? null : HostNames.hostOrAddress(hostText).orElseThrow(() ->
        ConfigException.bad(s.key("host"), "must be an IP address or host name", hostText));
    int hazelcastPort = s.intIn("hazelcastPort", 1, 65535);
    ClusterConfig.Join join = join(s);
    List<String> members = ConfigBinder.strings(s, "members", (key, text) -> member(key, text, hazelcastPort));
    JsonSection k8s = s.section("kubernetes");
    String serviceName = label(k8s, "serviceName", SERVICE_NAME);
    String namespace = label(k8s, "namespace", NAMESPACE);
    if (enabled && join == ClusterConfig.Join.TCP && members.isEmpty()) {
      throw new ConfigException(s.key("members"),
          "must list at least one member for join \"tcp\" (this node's own address will do for the first node)");
    }
    if (enabled && join == ClusterConfig.Join.KUBERNETES && serviceName == null) {
      throw new ConfigException(k8s.key("serviceName"), "must name the headless Service for join \"kubernetes\"");
    }
    int lease = s.intIn("slotLeaseSeconds", 0, 3600);
    if (lease > 0 && lease < MIN_LEASE_SECONDS) {
      // Every refresh (a third of a lease) takes a cluster lock; a lease of a second or two leaves too little
      // room for a lock wait, and an entry could expire while its node still counts on its slots.
      throw ConfigException.bad(s.key("slotLeaseSeconds"), "must be 0 or at least " + MIN_LEASE_SECONDS, lease);
    }
    return new ClusterConfig(enabled, s.string("name"), host, s.intIn("port", 0, 65535), hazelcastPort, join,
        members, serviceName, namespace, lease);
  }

  private static ClusterConfig.Join join(JsonSection s) {
    String join = s.string("join");
    return switch (join.toLowerCase(Locale.ROOT)) {
      case "tcp" -> ClusterConfig.Join.TCP;
      case "kubernetes" -> ClusterConfig.Join.KUBERNETES;
      default -> throw ConfigException.bad(s.key("join"), "must be \"tcp\" or \"kubernetes\"", join);
    };
  }

  /** "host" or "host:port" (IPv6 bracketed when a port is given), as Hazelcast's "host:port". */
  private static String member(String key, String text, int defaultPort) {
    InetSocketAddress a;
    try {
      a = ResolverAddresses.parse(text, defaultPort);
    } catch (IllegalArgumentException e) {
      throw ConfigException.bad(key, "must be \"host\" or \"host:port\" (" + e.getMessage() + ")", text);
    }
    String host = a.isUnresolved() ? a.getHostString() : a.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  private static String label(JsonSection s, String name, Pattern pattern) {
    String text = s.optionalString(name);
    if (text != null && !pattern.matcher(text).matches()) {
      throw ConfigException.bad(s.key(name), "must be a Kubernetes name (lower-case letters, digits, '-')", text);
    }
    return text;
  }
}
