package io.hermod.config;

import io.hermod.app.VerticleClasses;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads and checks the "verticles" list (docs/config.md "verticles[]", README "Your application and Hermod"). */
final class VerticlesSection {

  private static final Set<String> KEYS = Set.of("class", "config", "instances");

  private VerticlesSection() {
  }

  static List<AppVerticleConfig> bind(JsonSection root) {
    List<AppVerticleConfig> out = new ArrayList<>();
    for (JsonSection v : root.objects("verticles", KEYS, "{\"class\", \"config\", \"instances\"}")) {
      String className = v.string("class");
      try {
        VerticleClasses.resolve(className, VerticleClasses.defaultLoader());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(v.key("class"), e.getMessage());
      }
      JsonObject config = v.has("config") ? v.map("config").copy() : new JsonObject();
      int instances = v.has("instances") ? v.intIn("instances", 1, 1024) : 1;
      out.add(new AppVerticleConfig(className, config, instances));
    }
    return out;
  }
}
