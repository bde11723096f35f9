package io.hermod.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.config.ClusterConfig;
import io.hermod.config.ConfigException;
import io.hermod.config.ConfigLoader;
import io.hermod.config.HermodConfig;
import io.hermod.config.ListenerConfig;
import io.hermod.config.LoggingConfig;
import io.hermod.testing.TestHermod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * k8s/ passes the offline validator (schema, unknown fields, references) and fits Hermod: the ConfigMap's
 * JSON is a configuration Hermod accepts, the pod's ports, probes, mounts, cluster join and grace period
 * agree with it, and the pod runs locked down (non-root, read-only root, no capabilities).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class K8sManifestTest {

  /** Time for the verticles, Hazelcast and the spool to stop after the drain (k8s/README.md). */
  private static final int STOP_MARGIN_SECONDS = 10;

  private static K8sManifests k8s;
  private static JsonObject configJson;
  private static HermodConfig config;
  private static JsonObject pod;
  private static JsonObject container;

  @TempDir
  Path temp;

  @BeforeAll
  static void validateAndBind() throws Exception {
    k8s = K8sManifests.validated();
    configJson = new JsonObject(k8s.get("ConfigMap", "hermod-config").getJsonObject("data").getString("hermod.json"));
    pod = k8s.get("StatefulSet", "hermod").getJsonObject("spec").getJsonObject("template").getJsonObject("spec");
    container = pod.getJsonArray("containers").getJsonObject(0);
    // Bound with every variable the pod sets (secret and downward-API values stand in as "hermod"): each must
    // be a configuration key, or Hermod would refuse to start.
    Map<String, String> podEnv = container.getJsonArray("env").stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(e -> e.getString("name"), e -> e.getString("value", "hermod")));
    config = ConfigLoader.fromSources(configJson, podEnv, Map.of());
  }

  @Test
  void configMapBindsAndNeedsTheAdminTokenFromTheSecret() {
    assertEquals(3, config.listeners().size());
    assertEquals(LoggingConfig.Format.JSON, config.logging().format());
    // http.host is 0.0.0.0: without the token from the Secret the pod must refuse to start.
    assertThrows(ConfigException.class, () -> ConfigLoader.fromSources(configJson, Map.of(), Map.of()));
    JsonObject tokenEnv = env("HERMOD_HTTP_ADMIN_TOKEN");
    assertEquals("hermod-admin", tokenEnv.getJsonObject("valueFrom").getJsonObject("secretKeyRef").getString("name"));
    assertTrue(generatedKeys("hermod-admin").contains(
        tokenEnv.getJsonObject("valueFrom").getJsonObject("secretKeyRef").getString("key")));
  }

  @Test
  void serviceLinkVariablesAreKeptOutOfTheEnvironment() {
    // Kubernetes' service links would add HERMOD_SMTP_SERVICE_HOST etc. for the hermod-* Services, and Hermod
    // refuses to start on a HERMOD_* variable that is no configuration key.
    assertThrows(ConfigException.class, () -> ConfigLoader.fromSources(configJson,
        Map.of("HERMOD_HTTP_ADMIN_TOKEN", "t", "HERMOD_SMTP_SERVICE_HOST", "10.0.0.1"), Map.of()));
    assertEquals(Boolean.FALSE, pod.getBoolean("enableServiceLinks"));
  }

  @Test
  void listenersAreContainerPortsAndTheSmtpServiceMapsTheStandardPorts() {
    Map<String, Integer> containerPorts = containerPorts();
    for (ListenerConfig l : config.listeners()) {
      assertTrue(containerPorts.containsValue(l.port()), "listener " + l.name() + " port " + l.port() + " is no container port");
      // No capability is granted (NET_BIND_SERVICE included): only unprivileged ports can be bound.
      assertTrue(l.port() >= 1024, "listener " + l.name() + " needs an unprivileged port, has " + l.port());
      assertEquals("0.0.0.0", l.host(), "a pod's listener must bind all addresses");
    }
    JsonArray servicePorts = k8s.get("Service", "hermod-smtp").getJsonObject("spec").getJsonArray("ports");
    Map<Integer, Integer> serviceToContainer = servicePorts.stream().map(JsonObject.class::cast).collect(Collectors.toMap(
        p -> p.getInteger("port"), p -> containerPorts.get(p.getString("targetPort"))));
    assertEquals(Map.of(25, listener("mx").port(), 587, listener("submission").port(), 465, listener("submissions").port()),
        serviceToContainer);
    assertEquals(ListenerConfig.Tls.IMPLICIT, listener("submissions").tls(), "465 is implicit TLS (RFC 8314)");
    assertEquals(config.http().port(), containerPorts.get("http"));
    assertEquals("http", k8s.get("Service", "hermod-ops").getJsonObject("spec").getJsonArray("ports").getJsonObject(0)
        .getString("targetPort"));
  }

  @Test
  void probesAndMetricsPathAnswerOnHermodsOpsServer() throws Exception {
    Map<String, Integer> containerPorts = containerPorts();
    try (TestHermod h = TestHermod.start(temp, new JsonObject())) {
      Http http = new Http(h.httpPort(), null);
      for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
        JsonObject get = container.getJsonObject(probe).getJsonObject("httpGet");
        assertEquals(config.http().port(), containerPorts.get(get.getString("port")), probe + " port");
        HttpResponse<String> r = http.get(get.getString("path"));
        assertEquals(200, r.statusCode(), probe + " " + get.getString("path") + ": " + r.body());
      }
      assertTrue(container.getJsonObject("readinessProbe").getJsonObject("httpGet").getString("path").equals("/health/ready"),
          "readiness must follow recovery, the high-water mark and draining");
      String metricsPath = k8s.get("Service", "hermod-ops").getJsonObject("metadata").getJsonObject("annotations")
          .getString("prometheus.io/path");
      HttpResponse<String> metrics = http.get(metricsPath);
      assertEquals(200, metrics.statusCode());
      assertTrue(metrics.body().contains("# TYPE hermod_spool_messages gauge"), metrics.body());
    }
  }

  @Test
  void podRunsAsTheImagesNonRootUserOnAReadOnlyRoot() throws Exception {
    JsonObject podSecurity = pod.getJsonObject("securityContext");
    assertEquals(Boolean.TRUE, podSecurity.getBoolean("runAsNonRoot"));
    String imageUser = imageUser();
    assertEquals(imageUser, podSecurity.getInteger("runAsUser") + ":" + podSecurity.getInteger("runAsGroup"),
        "the pod's user is the image's (pom.xml, profile image)");
    JsonObject security = container.getJsonObject("securityContext");
    assertEquals(Boolean.TRUE, security.getBoolean("readOnlyRootFilesystem"));
    assertEquals(Boolean.FALSE, security.getBoolean("allowPrivilegeEscalation"));
    assertEquals(new JsonArray().add("ALL"), security.getJsonObject("capabilities").getJsonArray("drop"));
    assertEquals(null, security.getJsonObject("capabilities").getJsonArray("add"));
    // With a read-only root every place Hermod or the JVM writes is a volume: /tmp and the spool.
    assertNotNull(volume(mountedVolume("/tmp")).getJsonObject("emptyDir"), "/tmp is an emptyDir");
    String spoolVolume = mountedVolume(config.spool().directory().toString());
    JsonArray claims = k8s.get("StatefulSet", "hermod").getJsonObject("spec").getJsonArray("volumeClaimTemplates");
    assertEquals(spoolVolume, claims.getJsonObject(0).getJsonObject("metadata").getString("name"),
        "the spool is on the pod's own PersistentVolumeClaim");
  }

  @Test
  void secretsAreMountedWhereTheConfigurationReadsThem() {
    assertSecretFile(config.tls().certificateFile(), "hermod-tls");
    assertSecretFile(config.tls().keyFile(), "hermod-tls");
    assertSecretFile(configJson.getJsonObject("auth").getString("usersFile"), "hermod-users");
    assertEquals(1, config.dkim().keys().size());
    assertSecretFile(config.dkim().keys().get(0).privateKeyFile(), "hermod-dkim");
  }

  @Test
  void podsJoinOneHazelcastClusterThroughTheHeadlessService() {
    ClusterConfig cluster = config.cluster();
    assertTrue(cluster.enabled());
    assertEquals(ClusterConfig.Join.KUBERNETES, cluster.join());
    JsonObject statefulSet = k8s.get("StatefulSet", "hermod").getJsonObject("spec");
    assertEquals(statefulSet.getString("serviceName"), cluster.serviceName());
    JsonObject headless = k8s.get("Service", cluster.serviceName()).getJsonObject("spec");
    assertEquals("None", headless.getString("clusterIP"));
    assertEquals(Boolean.TRUE, headless.getBoolean("publishNotReadyAddresses"), "starting pods must find each other");
    Map<String, Integer> containerPorts = containerPorts();
    JsonObject hazelcastPort = headless.getJsonArray("ports").stream().map(JsonObject.class::cast)
        .filter(p -> p.getInteger("port") == cluster.hazelcastPort()).findFirst().orElseThrow();
    assertEquals(cluster.hazelcastPort(), containerPorts.get(hazelcastPort.getString("targetPort")));
    assertEquals(cluster.port(), containerPorts.get("eventbus"), "a fixed event-bus port, declared");
    assertEquals("metadata.namespace", env("HERMOD_CLUSTER_KUBERNETES_NAMESPACE").getJsonObject("valueFrom")
        .getJsonObject("fieldRef").getString("fieldPath"));
    assertEquals("hermod", cluster.namespace(), "the pod's namespace reaches cluster.kubernetes.namespace");
    assertTrue(statefulSet.getInteger("replicas") >= 3);
  }

  @Test
  void terminationGraceCoversPreStopAndTheDrain() {
    int preStop = container.getJsonObject("lifecycle").getJsonObject("preStop").getJsonObject("sleep").getInteger("seconds");
    int grace = pod.getInteger("terminationGracePeriodSeconds");
    assertTrue(grace >= preStop + config.shutdownGraceSeconds() + STOP_MARGIN_SECONDS,
        "terminationGracePeriodSeconds " + grace + " < preStop " + preStop + " + shutdownGraceSeconds "
            + config.shutdownGraceSeconds() + " + " + STOP_MARGIN_SECONDS);
  }

  @Test
  void disruptionBudgetTakesOnePodAtATimeAndResourcesAreBounded() {
    JsonObject pdb = k8s.get("PodDisruptionBudget", "hermod").getJsonObject("spec");
    assertEquals(1, pdb.getInteger("maxUnavailable"));
    assertEquals(k8s.get("StatefulSet", "hermod").getJsonObject("spec").getJsonObject("selector").getJsonObject("matchLabels"),
        pdb.getJsonObject("selector").getJsonObject("matchLabels"));
    JsonObject resources = container.getJsonObject("resources");
    for (String kind : List.of("requests", "limits")) {
      assertNotNull(resources.getJsonObject(kind).getString("cpu"), kind + ".cpu");
      assertNotNull(resources.getJsonObject(kind).getString("memory"), kind + ".memory");
    }
  }

  private static ListenerConfig listener(String name) {
    return config.listeners().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
  }

  private static Map<String, Integer> containerPorts() {
    return container.getJsonArray("ports").stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(p -> p.getString("name"), p -> p.getInteger("containerPort")));
  }

  private static JsonObject env(String name) {
    return container.getJsonArray("env").stream().map(JsonObject.class::cast)
        .filter(e -> e.getString("name").equals(name)).findFirst().orElseThrow(() -> new AssertionError("no env " + name));
  }

  /** The volume mounted at the longest mount path that contains path. */
  private static String mountedVolume(String path) {
    return container.getJsonArray("volumeMounts").stream().map(JsonObject.class::cast)
        .filter(m -> path.equals(m.getString("mountPath")) || path.startsWith(m.getString("mountPath") + "/"))
        .max((a, b) -> a.getString("mountPath").length() - b.getString("mountPath").length())
        .map(m -> m.getString("name")).orElseThrow(() -> new AssertionError("nothing mounted at " + path));
  }

  private static JsonObject volume(String name) {
    return pod.getJsonArray("volumes").stream().map(JsonObject.class::cast)
        .filter(v -> v.getString("name").equals(name)).findFirst().orElseThrow();
  }

  /** file is in a mounted Secret generated by kustomization.yaml with a key of that file's name. */
  private static void assertSecretFile(String file, String secret) {
    JsonObject source = volume(mountedVolume(file)).getJsonObject("secret");
    assertNotNull(source, file + " is not in a Secret volume");
    assertEquals(secret, source.getString("secretName"), file);
    assertTrue(generatedKeys(secret).contains(Path.of(file).getFileName().toString()),
        file + ": no such key in " + secret + " " + generatedKeys(secret));
  }

  /** The keys of a Secret from kustomization.yaml's secretGenerator ("key=path" or "path"). */
  private static Set<String> generatedKeys(String secret) {
    JsonObject generator = k8s.kustomization.getJsonArray("secretGenerator").stream().map(JsonObject.class::cast)
        .filter(g -> g.getString("name").equals(secret)).findFirst().orElseThrow(() -> new AssertionError("no generator " + secret));
    return generator.getJsonArray("files").stream().map(String.class::cast)
        .map(f -> f.contains("=") ? f.substring(0, f.indexOf('=')) : Path.of(f).getFileName().toString())
        .collect(Collectors.toSet());
  }

  /** The numeric user:group the image runs as, from the `image` profile in pom.xml. */
  private static String imageUser() throws Exception {
    String pom = Files.readString(Path.of("pom.xml"));
    int start = pom.indexOf("<user>");
    assertTrue(start > 0, "pom.xml has no image user");
    return pom.substring(start + "<user>".length(), pom.indexOf("</user>", start));
  }
}
