package io.hermod.config;

import io.hermod.app.VerticleClasses;
import io.vertx.core.json.JsonArray;
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
    JsonArray array = root.array("verticles");
    List<AppVerticleConfig> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String key = root.key("verticles") + "[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject o)) {
        throw ConfigException.bad(key, "must be an object {\"class\", \"config\", \"instances\"}", array.getValue(i));
      }
      JsonSection v = new JsonSection(o, key);
      v.onlyKeys(KEYS);
      String className = v.string("class");
      try {
        VerticleClasses.resolve(className, VerticleClasses.defaultLoader());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(v.key("class"), e.getMessage());
      }
      JsonObject config = o.containsKey("config") ? v.map("config").copy() : new JsonObject();
      int instances = o.containsKey("instances") ? v.intIn("instances", 1, 1024) : 1;
      out.add(new AppVerticleConfig(className, config, instances));
    }
    return out;
  }
}
