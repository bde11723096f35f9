package io.hermod.config;

import java.util.List;

/**
 * Clustering (docs/cluster.md): several Hermod nodes sharing one Vert.x event bus through Hazelcast.
 *
 * @param enabled          start a clustered Vert.x ("cluster.enabled"; also the {@code -cluster} flag)
 * @param name             the Hazelcast cluster name: only nodes with the same name join ("cluster.name")
 * @param host             the address this node's event bus binds and advertises, also Hazelcast's; null =
 *                         Hazelcast's choice ("cluster.host"; also {@code -cluster-host})
 * @param port             the event-bus TCP port, 0 = any free port ("cluster.port")
 * @param hazelcastPort    Hazelcast's member port ("cluster.hazelcastPort")
 * @param join             how members find each other ("cluster.join")
 * @param members          for {@link Join#TCP}: "host:port" of the members, port defaulting to hazelcastPort
 *                         ("cluster.members")
 * @param serviceName      for {@link Join#KUBERNETES}: the headless Service naming the members
 *                         ("cluster.kubernetes.serviceName")
 * @param namespace        for {@link Join#KUBERNETES}: its namespace, null = the pod's own
 *                         ("cluster.kubernetes.namespace")
 * @param slotLeaseSeconds lifetime of a node's lease on per-destination connection slots; 0 = per-node
 *                         limits, not shared ("cluster.slotLeaseSeconds")
 */
public record ClusterConfig(boolean enabled, String name, String host, int port, int hazelcastPort, Join join,
                            List<String> members, String serviceName, String namespace, int slotLeaseSeconds) {

  /** Hazelcast's member discovery. */
  public enum Join { TCP, KUBERNETES }

  public ClusterConfig {
    members = List.copyOf(members);
  }
}
