package io.hermod.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.hermod.config.ClusterConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;

/** The Hazelcast member configuration for a {@link ClusterConfig} (docs/cluster.md). */
public final class HazelcastSettings {

  private HazelcastSettings() {
  }

  /**
   * Vert.x's own configuration (it declares the {@code __vertx.*} maps the event bus needs) with our cluster
   * name, port and join. Exactly one join mechanism is on: TCP-IP or the kubernetes discovery built into
   * Hazelcast; multicast and auto-detection are off, so a node never joins a cluster nobody configured.
   */
  public static Config of(ClusterConfig cluster) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(cluster.name());
    // No start-up wait (it only delays joining) and no usage reports to Hazelcast's servers.
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "jdk");
    // Main's shutdown hook stops Hermod and then Vert.x, which leaves the cluster; Hazelcast's own hook would
    // leave first, under the feet of the graceful stop.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.hazelcastPort()).setPortAutoIncrement(false);
    if (cluster.host() != null) {
      // Bind and advertise this address only (several interfaces, or one machine running several nodes).
      network.getInterfaces().setEnabled(true).addInterface(cluster.host());
      config.setProperty("hazelcast.local.localAddress", cluster.host());
      // Without this Hazelcast still listens on every interface (0.0.0.0) and only advertises the host.
      config.setProperty("hazelcast.socket.bind.any", "false");
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (cluster.join() == ClusterConfig.Join.TCP) {
      join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    } else {
      // Hazelcast's kubernetes discovery in DNS-lookup mode: the headless Service's A records are the pods,
      // so no RBAC access to the Kubernetes API is needed.
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-dns", serviceDns(cluster))
          .setProperty("service-port", String.valueOf(cluster.hazelcastPort()));
    }
    return config;
  }

  /** "service.namespace.svc.cluster.local", or "service" (the pod's search path completes it). */
  static String serviceDns(ClusterConfig cluster) {
    return cluster.namespace() == null ? cluster.serviceName()
        : cluster.serviceName() + "." + cluster.namespace() + ".svc.cluster.local";
  }
}
