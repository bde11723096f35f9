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
    return start(cluster, options, null);
  }

  /** As above, with Vert.x's own metrics going to {@code metrics} when it is not null. */
  public static Future<Vertx> start(ClusterConfig cluster, VertxOptions options,
                                    io.vertx.core.spi.VertxMetricsFactory metrics) {
    EventBusOptions bus = new EventBusOptions(options.getEventBusOptions()).setPort(cluster.port());
    if (cluster.host() != null) {
      bus.setHost(cluster.host());
    }
    var builder = Vertx.builder()
        .with(new VertxOptions(options).setEventBusOptions(bus))
        .withClusterManager(new HazelcastClusterManager(HazelcastSettings.of(cluster)));
    if (metrics != null) {
      builder = builder.withMetrics(metrics);
    }
    return builder.buildClustered();
  }
}
