package io.hermod.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.hermod.config.ConfigLoader;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HazelcastSettingsTest {

  private static Config settings(String cluster) {
    return HazelcastSettings.of(ConfigLoader.fromJson(new JsonObject().put("cluster", new JsonObject(cluster))).cluster());
  }

  @Test
  void tcpJoinListsTheMembersAndNothingElseDiscovers() {
    Config c = settings("{\"enabled\":true,\"name\":\"mail\",\"host\":\"127.0.0.1\",\"hazelcastPort\":5801,"
        + "\"members\":[\"127.0.0.1\",\"127.0.0.1:5802\"]}");
    JoinConfig join = c.getNetworkConfig().getJoin();
    assertEquals("mail", c.getClusterName());
    assertEquals(5801, c.getNetworkConfig().getPort());
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("127.0.0.1:5801", "127.0.0.1:5802"), join.getTcpIpConfig().getMembers());
    assertFalse(join.getMulticastConfig().isEnabled());
    assertFalse(join.getAutoDetectionConfig().isEnabled());
    assertFalse(join.getKubernetesConfig().isEnabled());
    assertEquals(List.of("127.0.0.1"), List.copyOf(c.getNetworkConfig().getInterfaces().getInterfaces()));
    assertEquals("false", c.getProperty("hazelcast.phone.home.enabled"));
    assertEquals("0", c.getProperty("hazelcast.wait.seconds.before.join"));
    assertEquals("false", c.getProperty("hazelcast.socket.bind.any")); // listens on 127.0.0.1 only
  }

  @Test
  void kubernetesJoinResolvesTheHeadlessService() {
    Config c = settings("{\"enabled\":true,\"join\":\"kubernetes\",\"kubernetes\":{\"serviceName\":\"hermod-hz\","
        + "\"namespace\":\"mail\"}}");
    JoinConfig join = c.getNetworkConfig().getJoin();
    assertTrue(join.getKubernetesConfig().isEnabled());
    assertEquals("hermod-hz.mail.svc.cluster.local", join.getKubernetesConfig().getProperty("service-dns"));
    assertEquals("5701", join.getKubernetesConfig().getProperty("service-port"));
    assertFalse(join.getTcpIpConfig().isEnabled());
    assertFalse(join.getMulticastConfig().isEnabled());
  }
}
