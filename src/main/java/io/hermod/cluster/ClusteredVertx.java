package io.hermod.cluster;

import io.hermod.config.ClusterConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/** Builds a Vert.x that joins the Hazelcast cluster described by a {@link ClusterConfig}. */
public final class ClusteredVertx {

  private ClusteredVertx() {
  }

  /** Completes once this node has joined (or formed) the cluster and its event bus listens. */
  public static Future<Vertx> start(ClusterConfig cluster) {
    return start(cluster, new VertxOptions());
  }

  public static Future<Vertx> start(ClusterConfig cluster, VertxOptions options) {
    EventBusOptions bus = new EventBusOptions(options.getEventBusOptions()).setPort(cluster.port());
    if (cluster.host() != null) {
      bus.setHost(cluster.host());
    }
    return Vertx.builder()
        .with(new VertxOptions(options).setEventBusOptions(bus))
        .withClusterManager(new HazelcastClusterManager(HazelcastSettings.of(cluster)))
        .buildClustered();
  }
}
