package io.hermod.cluster;

import io.hermod.config.ClusterConfig;
import io.hermod.config.ConfigLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Clustered Vert.x nodes on one machine for tests: TCP-IP join on 127.0.0.1 between free Hazelcast ports, a
 * random cluster name (so parallel builds never meet), multicast and auto-detection off.
 */
final class ClusterNodes {

  private final String name = "hermod-test-" + UUID.randomUUID();
  private final List<Integer> ports = new ArrayList<>();

  /** Reserves {@code count} member ports; every node started later lists them all as members. */
  ClusterNodes(int count) {
    for (int i = 0; i < count; i++) {
      ports.add(io.hermod.testing.Ports.free());
    }
  }

  /** The "cluster" configuration section for member {@code index}. */
  JsonObject section(int index) {
    JsonArray members = new JsonArray();
    ports.forEach(p -> members.add("127.0.0.1:" + p));
    return new JsonObject().put("enabled", true).put("name", name).put("host", "127.0.0.1").put("port", 0)
        .put("hazelcastPort", ports.get(index)).put("join", "tcp").put("members", members);
  }

  ClusterConfig config(int index) {
    return ConfigLoader.fromJson(new JsonObject().put("cluster", section(index))).cluster();
  }

  Future<Vertx> start(int index) {
    return ClusteredVertx.start(config(index));
  }

}
