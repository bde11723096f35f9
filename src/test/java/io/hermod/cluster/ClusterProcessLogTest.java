package io.hermod.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.testing.HermodProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clustered start prints no Hazelcast complaint (issue #16): with the JVM flags the jar's manifest carries
 * (Add-Opens, Add-Exports in pom.xml, which {@code java -jar} applies) Hazelcast does not ask for
 * {@code --add-opens}, and its CP subsystem note is dropped (LogNoise). The test runs the class path, so it
 * passes the manifest's entries as the equivalent command-line flags.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterProcessLogTest {

  @TempDir
  Path temp;

  @Test
  void aClusteredStartWithTheManifestsFlagsHasNoHazelcastWarnings() throws Exception {
    JsonObject cluster = new ClusterNodes(1).section(0);
    cluster.remove("enabled"); // from the command line, as an operator starts it
    Path conf = temp.resolve("hermod.json");
    Files.writeString(conf, new JsonObject()
        .put("listeners", new JsonArray().add(new JsonObject()
            .put("name", "mx").put("host", "127.0.0.1").put("port", 0).put("role", "mx").put("tls", "none")))
        .put("spool", new JsonObject().put("directory", temp.resolve("spool").toString()))
        .put("http", new JsonObject().put("port", 0))
        .put("cluster", cluster)
        .encodePrettily());
    List<String> flags = manifestFlags();
    assertFalse(flags.isEmpty());
    try (HermodProcess hermod = HermodProcess.start(conf, flags, List.of("-cluster"))) {
      hermod.awaitLog("io.hermod.Main: started in ", 60);
      hermod.stop();
      String log = hermod.log();
      assertTrue(log.contains("Members {size:1"), log);
      assertTrue(log.lines().noneMatch(l -> l.contains("--add-opens") || l.contains("without proper access")), log);
      assertTrue(log.lines().noneMatch(l -> l.contains("CP Subsystem")), log);
      assertTrue(log.lines().noneMatch(l -> l.contains("SLF4J") || l.contains("has been already registered")), log);
      assertTrue(log.strip().endsWith("io.hermod.Main: stopped"), log);
    }
  }

  /** The shade plugin's Add-Opens and Add-Exports manifest entries as java's flags. */
  static List<String> manifestFlags() throws Exception {
    String pom = Files.readString(Path.of("pom.xml"));
    List<String> flags = new ArrayList<>();
    for (String attribute : List.of("Add-Opens", "Add-Exports")) {
      Matcher m = Pattern.compile("<" + attribute + ">([^<]+)</" + attribute + ">").matcher(pom);
      assertTrue(m.find(), attribute + " not in pom.xml");
      for (String target : m.group(1).trim().split("\\s+")) {
        flags.add("--" + attribute.toLowerCase() + "=" + target + "=ALL-UNNAMED");
      }
    }
    return flags;
  }
}
