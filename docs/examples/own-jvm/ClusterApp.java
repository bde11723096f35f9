package example;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.multimap.MultiMap;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An application in its own JVM that joins a Hermod cluster as a Hazelcast <b>lite member</b> (it holds no
 * partition, so no cluster data, lock or lease lives on it), deploys {@link BulkSubmitter} and prints what it saw
 * as one line {@code RESULT {json}} (docs/cluster.md "In its own JVM, in the cluster").
 *
 * <p>Class path: hermod-client.jar, vertx-core, vertx-hazelcast and hazelcast (with their dependencies); nothing
 * of the server. Arguments: {@code CLUSTER_NAME MEMBERS HOST HAZELCAST_PORT [SUBMITTER_CONFIG_JSON]}, e.g.
 * {@code hermod 10.0.0.5:5701,10.0.0.6:5701 10.0.0.9 5701 '{"count":1000,"to":"x@example.net"}'}.
 */
public final class ClusterApp {

  public static void main(String[] args) {
    if (args.length < 4) {
      System.err.println("usage: ClusterApp CLUSTER_NAME MEMBERS HOST HAZELCAST_PORT [SUBMITTER_CONFIG_JSON]");
      System.exit(64);
    }
    try {
      run(args);
      System.exit(0);
    } catch (Exception | LinkageError e) {
      // Vert.x's and Hazelcast's threads would keep the JVM alive after main failed: exit, with a status.
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void run(String[] args) throws Exception {
    String host = args[2];
    HazelcastClusterManager manager = new HazelcastClusterManager(
        hazelcast(args[0], Arrays.asList(args[1].split(",")), host, Integer.parseInt(args[3])));
    // The event bus listens on HOST too: Hermod's nodes connect to it to deliver replies and events.
    VertxOptions options = new VertxOptions().setEventBusOptions(new EventBusOptions().setHost(host).setPort(0));
    Vertx vertx = Vertx.builder().with(options).withClusterManager(manager).buildClustered()
        .await(60, TimeUnit.SECONDS);
    Set<String> inbound = recordInboundAddresses(vertx);

    JsonObject config = args.length > 4 ? new JsonObject(args[4]) : new JsonObject();
    BulkSubmitter submitter = new BulkSubmitter();
    vertx.deployVerticle(submitter, new DeploymentOptions().setConfig(config)).await(60, TimeUnit.SECONDS);
    JsonObject result = submitter.result().await(config.getLong("timeoutSeconds", 600L), TimeUnit.SECONDS);

    result.put("inboundAddresses", new JsonArray(new ArrayList<>(new TreeSet<>(inbound)))).put("cluster", membership(manager.getHazelcastInstance()));
    System.out.println("RESULT " + result.encode());
    vertx.close().await(30, TimeUnit.SECONDS); // leaves the cluster
  }

  /**
   * Vert.x's own Hazelcast configuration (it declares the __vertx.* structures) with Hermod's cluster name and
   * join, as a lite member. The same settings as a Hermod node (io.hermod.cluster.HazelcastSettings): TCP-IP join
   * on the listed members only, multicast and auto-detection off, bound to HOST only.
   */
  static Config hazelcast(String clusterName, java.util.List<String> members, String host, int port) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(clusterName);
    config.setLiteMember(true); // owns no partition: no map entry, lock or lease of Hermod's is ever here
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "jdk");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface(host);
    config.setProperty("hazelcast.local.localAddress", host);
    config.setProperty("hazelcast.socket.bind.any", "false");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(members);
    return config;
  }

  /** Every address a message arrived on (replies to our own requests left out). */
  private static Set<String> recordInboundAddresses(Vertx vertx) {
    Set<String> addresses = ConcurrentHashMap.newKeySet();
    vertx.eventBus().addInboundInterceptor(ctx -> {
      String address = ctx.message().address();
      if (!address.startsWith("__vertx.")) {
        addresses.add(address);
      }
      ctx.next();
    });
    return addresses;
  }

  /**
   * What Hazelcast says about this member: lite or not, partitions it owns, and per map the entries it owns
   * against the entries in the whole cluster.
   */
  private static JsonObject membership(HazelcastInstance hz) {
    Member self = hz.getCluster().getLocalMember();
    long ownedPartitions = hz.getPartitionService().getPartitions().stream()
        .filter(p -> self.equals(p.getOwner())).count();
    long dataMembers = hz.getCluster().getMembers().stream().filter(m -> !m.isLiteMember()).count();
    JsonObject maps = new JsonObject();
    for (DistributedObject o : hz.getDistributedObjects()) {
      if (o instanceof IMap<?, ?> map) {
        maps.put(map.getName(), new JsonObject().put("owned", map.getLocalMapStats().getOwnedEntryCount())
            .put("cluster", map.size()));
      } else if (o instanceof MultiMap<?, ?> map) {
        maps.put(map.getName(), new JsonObject().put("owned", map.getLocalMultiMapStats().getOwnedEntryCount())
            .put("cluster", map.size()));
      }
    }
    return new JsonObject().put("liteMember", self.isLiteMember()).put("ownedPartitions", ownedPartitions)
        .put("members", hz.getCluster().getMembers().size()).put("dataMembers", dataMembers).put("maps", maps);
  }
}
