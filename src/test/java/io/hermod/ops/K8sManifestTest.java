package io.hermod.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hermod.config.ConfigException;
import io.hermod.config.ConfigLoader;
import io.hermod.config.HermodConfig;
import io.hermod.config.LoggingConfig;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration shipped in k8s/configmap.yaml is one Hermod accepts (with the token from the Secret). */
class K8sManifestTest {

  @Test
  void configMapJsonBinds() throws Exception {
    JsonObject json = new JsonObject(embeddedJson(Path.of("k8s/configmap.yaml")));
    HermodConfig config = ConfigLoader.fromSources(json, Map.of("HERMOD_HTTP_ADMIN_TOKEN", "t"), Map.of());
    assertEquals(3, config.listeners().size());
    assertEquals(8025, config.http().port());
    assertEquals(LoggingConfig.Format.JSON, config.logging().format());
    // Without the token from the Secret the pod must refuse to start (http.host is 0.0.0.0).
    assertThrows(ConfigException.class, () -> ConfigLoader.fromSources(json, Map.of(), Map.of()));
  }

  /** The block scalar under "hermod.json: |", de-indented. */
  private static String embeddedJson(Path yaml) throws Exception {
    List<String> lines = Files.readAllLines(yaml);
    StringBuilder out = new StringBuilder();
    boolean in = false;
    for (String line : lines) {
      if (line.trim().equals("hermod.json: |")) {
        in = true;
      } else if (in) {
        out.append(line.length() >= 4 ? line.substring(4) : line.trim()).append('\n');
      }
    }
    return out.toString();
  }
}
