package io.hermod.cluster;

import io.hermod.api.Addresses;
import io.hermod.testing.HermodProcess;
import io.hermod.testing.Ports;
import io.hermod.testing.ReceivedMessage;
import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #19, "applications in their own JVM" (docs/cluster.md "In its own JVM, in the cluster"): a Hermod node
 * ({@code java -jar hermod.jar -cluster-host 127.0.0.1}) and a separate application JVM whose class path is only
 * hermod-client.jar and the cluster manager (vertx-core, vertx-hazelcast, hazelcast and their dependencies). The
 * application's source is the documented example (docs/examples/own-jvm), compiled here against exactly that
 * class path, which proves it needs nothing of the server. It joins as a Hazelcast lite member, submits 1,000
 * messages with at most 32 outstanding and waits for an outcome of each on {@code hermod.events} and on the durable
 * event feed ({@code EventFeed}, subscription "own-jvm-it"); every message
 * must be delivered to the peer, the application must be a lite member owning no partition and no entry of any
 * cluster map (while the cluster holds some), and nothing but what it subscribed to ({@code hermod.events}, the
 * feed's node announcements) and replies to its own requests may ever arrive on its event bus: no node-local work,
 * no submission, no shaping decision.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class OwnJvmApplicationIT {

  /** The project's directory (failsafe may run the ITs elsewhere; it is found from hermod.client.jar). */
  private static final Path PROJECT = io.hermod.testing.ApplicationSources.projectDir();

  private static final int MESSAGES = 1000;
  private static final int OUTSTANDING = 32;
  /** Maven repository paths of the cluster manager and what it needs: vertx-core's closure, vertx-hazelcast. */
  private static final List<String> CLUSTER_MANAGER = List.of("/io/vertx/vertx-core/", "/io/vertx/vertx-core-logging/",
      "/io/netty/", "/com/fasterxml/jackson/core/jackson-core/", "/io/vertx/vertx-hazelcast/",
      "/com/hazelcast/hazelcast/");
  /** What Hazelcast asks for (pom.xml's manifest entries for hermod.jar): without them it only warns. */
  private static final List<String> HAZELCAST_OPENS = List.of("--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");
  private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID:\\s*<m\\.(\\d+)@bulk\\.example>");

  @TempDir
  Path temp;

  private Vertx peerVertx;
  private HermodProcess node;
  private Process app;

  @AfterEach
  void stopEverything() throws Exception {
    if (app != null && app.isAlive()) {
      app.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    }
    if (node != null) {
      node.close();
      Files.writeString(PROJECT.resolve("target").resolve("own-jvm-hermod.log"), node.log()); // for a failed run's post-mortem
    }
    if (peerVertx != null) {
      peerVertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void anApplicationJvmWithOnlyTheClientJarJoinsAsALiteMemberSubmitsAndSeesEveryOutcome() throws Exception {
    Path serverJar = Path.of(System.getProperty("hermod.jar", "target/hermod.jar"));
    List<String> appClassPath = applicationClassPath();
    Path classes = compileExample(appClassPath);

    peerVertx = Vertx.vertx();
    ScriptedSmtpPeer peer = new ScriptedSmtpPeer(peerVertx).start().await(10, TimeUnit.SECONDS);
    String clusterName = "hermod-it-" + UUID.randomUUID();
    int nodePort = Ports.free();
    node = HermodProcess.startJar(serverJar, writeConfig(clusterName, nodePort, peer.port()), List.of("-Xmx256m"),
        List.of("-cluster-host", "127.0.0.1"));

    int appPort = Ports.free();
    JsonObject submitter = new JsonObject().put("count", MESSAGES).put("outstanding", OUTSTANDING)
        .put("from", "app@app.test").put("to", "sink@peer.test").put("feed", "own-jvm-it").put("timeoutSeconds", 120);
    Path appLog = PROJECT.resolve("target").resolve("own-jvm-app.log");
    String output = runApplication(classes, appClassPath, List.of(clusterName, "127.0.0.1:" + nodePort, "127.0.0.1",
        String.valueOf(appPort), submitter.encode()), appLog, 180);
    assertEquals(0, app.exitValue(), "the application failed:\n" + tail(output));
    JsonObject result = resultLine(output);

    assertEquals(MESSAGES, result.getInteger("accepted"), result.encode());
    assertEquals(0, result.getInteger("refused"), result.encode());
    assertEquals(new JsonObject().put("delivered", MESSAGES), result.getJsonObject("outcomes"), result.encode());
    // The same outcomes through the durable feed (docs/events.md), read by the application JVM.
    assertEquals(new JsonObject().put("delivered", MESSAGES), result.getJsonObject("feedOutcomes"), result.encode());
    // Only what the application subscribed to: the events and the feed's node announcements (the feed's reads are
    // request/reply, so their answers are replies).
    assertEquals(new JsonArray().add(Addresses.EVENTS).add(Addresses.FEED_NODES), result.getJsonArray("inboundAddresses"),
        "something else reached the application: " + result.encode());
    JsonObject cluster = result.getJsonObject("cluster");
    assertEquals(true, cluster.getBoolean("liteMember"), cluster.encode());
    assertEquals(0L, cluster.getLong("ownedPartitions"), cluster.encode());
    assertEquals(2, cluster.getInteger("members"), cluster.encode());
    assertEquals(1L, cluster.getLong("dataMembers"), cluster.encode());
    JsonObject maps = cluster.getJsonObject("maps");
    // The cluster does hold data (both members' node info, the subscriptions), and none of it is on the app.
    assertEquals(2, maps.getJsonObject("__vertx.nodeInfo").getInteger("cluster"), cluster.encode());
    maps.forEach(e -> assertEquals(0L, ((JsonObject) e.getValue()).getLong("owned"), e.getKey() + " in " + cluster));

    // The node's own view: the application joined as a lite member.
    assertTrue(Pattern.compile("Member \\[127\\.0\\.0\\.1\\]:" + appPort + " - \\S+ lite").matcher(node.log()).find(),
        "the node's member list never showed the application as lite");

    Wait.until(() -> delivered(peer).size() == MESSAGES, "all messages at the peer", 30);
    assertEquals(IntStream.range(0, MESSAGES).boxed().collect(Collectors.toCollection(TreeSet::new)), delivered(peer));
    System.out.printf("own-JVM application: %d messages accepted in %.2f s (%.0f/s, %d outstanding), %d retries, "
            + "all delivered; lite member, %d partitions and %s entries owned%n", MESSAGES, result.getDouble("seconds"),
        result.getDouble("acceptedPerSecond"), OUTSTANDING, result.getInteger("retries"),
        cluster.getLong("ownedPartitions"), maps.encode());
  }

  /**
   * A lite member cannot form a cluster: with no Hermod node to join, the application's clustered Vert.x fails at
   * once with Hazelcast's reason (docs/cluster.md, "Start it after a node"), and ClusterApp exits with status 1.
   */
  @Test
  void anApplicationJvmWithNoNodeToJoinFailsAtOnceAndSaysWhy() throws Exception {
    List<String> appClassPath = applicationClassPath();
    Path classes = compileExample(appClassPath);
    try (Ports.Refusing nobody = Ports.refusing()) {
      Path appLog = PROJECT.resolve("target").resolve("own-jvm-app-alone.log");
      String output = runApplication(classes, appClassPath, List.of("hermod-it-" + UUID.randomUUID(),
          "127.0.0.1:" + nobody.port(), "127.0.0.1", String.valueOf(Ports.free()), "{\"count\": 1}"), appLog, 90);
      assertEquals(1, app.exitValue(), tail(output));
      assertTrue(output.contains("NoDataMemberInClusterException"), tail(output));
      assertFalse(output.contains("RESULT "), tail(output));
    }
  }

  /** hermod-client.jar and the cluster manager's jars, none of which holds a class of the server. */
  private static List<String> applicationClassPath() throws IOException {
    Path clientJar = Path.of(System.getProperty("hermod.client.jar", "target/hermod-client.jar"));
    List<String> classPath = new ArrayList<>(List.of(clientJar.toString()));
    classPath.addAll(clusterManagerJars());
    for (String jar : classPath) {
      assertFalse(holdsServerClasses(jar), jar + " holds server classes");
    }
    return classPath;
  }

  /** ClusterApp ARGS in its own JVM on exactly {@code classPath}; waits (bounded) for its exit, returns its output. */
  private String runApplication(Path classes, List<String> classPath, List<String> args, Path log, int seconds)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m"));
    command.addAll(HAZELCAST_OPENS);
    command.addAll(List.of("-cp", classes + File.pathSeparator + String.join(File.pathSeparator, classPath),
        "example.ClusterApp"));
    command.addAll(args);
    app = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(app.waitFor(seconds, TimeUnit.SECONDS), "the application did not finish; see " + log);
    return Files.readString(log);
  }

  /** The cluster manager's jars from this test's own class path (never target/classes or test-classes). */
  private static List<String> clusterManagerJars() {
    List<String> jars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> entry.endsWith(".jar"))
        .filter(entry -> CLUSTER_MANAGER.stream().anyMatch(entry.replace(File.separatorChar, '/')::contains))
        .toList();
    assertTrue(jars.stream().anyMatch(j -> j.contains("vertx-hazelcast")), "no vertx-hazelcast in " + jars);
    assertTrue(jars.stream().anyMatch(j -> j.contains("/hazelcast-")), "no hazelcast in " + jars);
    return jars;
  }

  private static boolean holdsServerClasses(String jar) throws IOException {
    try (JarFile file = new JarFile(jar)) {
      return file.stream().map(e -> e.getName())
          .anyMatch(n -> n.startsWith("io/hermod/") && n.endsWith(".class") && !n.startsWith("io/hermod/api/"));
    }
  }

  /** javac on docs/examples/own-jvm against exactly {@code classPath}; fails the test with javac's errors. */
  private Path compileExample(List<String> classPath) throws IOException {
    Path out = Files.createDirectories(temp.resolve("app-classes"));
    List<String> args = new ArrayList<>(List.of("-proc:none", "-nowarn", "-d", out.toString(),
        "-cp", String.join(File.pathSeparator, classPath)));
    try (Stream<Path> sources = Files.list(PROJECT.resolve("docs").resolve("examples").resolve("own-jvm"))) {
      sources.filter(p -> p.toString().endsWith(".java")).map(Path::toString).forEach(args::add);
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "no system Java compiler (a JRE instead of a JDK?)");
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int status = javac.run(null, null, errors, args.toArray(String[]::new));
    assertEquals(0, status, "the example does not compile against " + classPath + ":\n"
        + errors.toString(StandardCharsets.UTF_8));
    return out;
  }

  /** A clustered node alone (the application joins it): its own spool, the peer as the route for peer.test. */
  private Path writeConfig(String clusterName, int hazelcastPort, int peerPort) throws IOException {
    Path conf = temp.resolve("node.json");
    Files.writeString(conf, new JsonObject()
        .put("hostname", "node.hermod.test")
        .put("localDomains", new JsonArray().add("local.test"))
        .put("trustedNetworks", new JsonArray().add("127.0.0.1/32"))
        .put("listeners", new JsonArray().add(new JsonObject()
            .put("name", "mx").put("host", "127.0.0.1").put("port", 0).put("role", "mx").put("tls", "none")))
        .put("spool", new JsonObject().put("directory", temp.resolve("spool").toString()))
        .put("http", new JsonObject().put("enabled", false))
        .put("dns", new JsonObject().put("resolvers", new JsonArray().add("127.0.0.1:9")).put("timeoutMillis", 500))
        .put("routing", new JsonObject().put("routes", new JsonObject().put("peer.test", "[127.0.0.1]:" + peerPort)))
        .put("cluster", new JsonObject().put("name", clusterName).put("hazelcastPort", hazelcastPort)
            .put("members", new JsonArray().add("127.0.0.1:" + hazelcastPort)))
        .put("shutdownGraceSeconds", 2)
        .encodePrettily());
    return conf;
  }

  private static JsonObject resultLine(String output) {
    return output.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
        .map(l -> new JsonObject(l.substring("RESULT ".length())))
        .orElseThrow(() -> new AssertionError("no RESULT line:\n" + tail(output)));
  }

  private static String tail(String output) {
    return output.length() > 4000 ? output.substring(output.length() - 4000) : output;
  }

  /** N of every {@code <m.N@bulk.example>} the peer received (probe messages left out). */
  private static Set<Integer> delivered(ScriptedSmtpPeer peer) {
    Set<Integer> ids = new TreeSet<>();
    for (ReceivedMessage m : peer.messages()) {
      Matcher matcher = MESSAGE_ID.matcher(m.content().toString(StandardCharsets.ISO_8859_1));
      if (matcher.find()) {
        ids.add(Integer.parseInt(matcher.group(1)));
      }
    }
    return ids;
  }
}
