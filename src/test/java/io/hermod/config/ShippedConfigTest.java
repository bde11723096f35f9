package io.hermod.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The files we ship: conf/hermod.json loads, and docs/config.md documents every key. */
class ShippedConfigTest {

  @Test
  void devConfigLoads() throws Exception {
    HermodConfig c = ConfigLoader.fromJson(new JsonObject(Files.readString(Path.of("conf/hermod.json"))));
    assertEquals("hermod.localhost", c.hostname());
    assertEquals(List.of("localhost", "hermod.localhost"), c.localDomains());
    assertEquals(List.of(new ListenerConfig("mx", "127.0.0.1", 2525, ListenerConfig.Role.MX),
        new ListenerConfig("submission", "127.0.0.1", 2587, ListenerConfig.Role.SUBMISSION)), c.listeners());
    assertEquals("./data/spool", c.spool().directory());
  }

  @Test
  void docsNameEveryKeyAndItsVariable() throws Exception {
    String doc = Files.readString(Path.of("docs/config.md"));
    for (String path : ConfigSchema.get().leafPaths()) {
      assertTrue(doc.contains("`" + path + "`"), "docs/config.md lacks key " + path);
      assertTrue(doc.contains("`" + ConfigSchema.envName(path) + "`"),
          "docs/config.md lacks variable " + ConfigSchema.envName(path));
    }
    for (String key : List.of("name", "host", "port", "role", "tls")) {
      assertTrue(doc.contains("`listeners[].%s`".formatted(key)), "docs/config.md lacks listeners[]." + key);
    }
  }
}
