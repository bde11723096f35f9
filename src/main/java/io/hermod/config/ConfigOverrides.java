package io.hermod.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns HERMOD_* environment variables or hermod.* system properties into a JSON layer shaped like the
 * configuration file. Names are looked up in a table built from the schema, so the mapping is unambiguous;
 * everything without our prefix is ignored.
 */
final class ConfigOverrides {

  /** Source of an override, for the names and for error messages. */
  enum Source {
    ENV("HERMOD_", "environment variable"),
    SYS("hermod.", "system property"),
    /** Main's flags (-cluster, -cluster-host), given as hermod.* names. */
    CLI("hermod.", "command-line flag");

    final String prefix;
    final String label;

    Source(String prefix, String label) {
      this.prefix = prefix;
      this.label = label;
    }
  }

  /**
   * Our names that are not configuration keys: HERMOD_CONFIG (the config file's path, read by Main),
   * HERMOD_ADMIN_TOKEN (the queue CLI's token, which may sit in the same environment as the server) and
   * hermod.jar and hermod.client.jar (the test harness's paths of the shaded and the client jar).
   */
  static final Set<String> NOT_CONFIG = Set.of("HERMOD_CONFIG", "HERMOD_ADMIN_TOKEN", "hermod.jar",
      "hermod.client.jar");

  private final ConfigSchema schema;
  private final Source source;
  private final Map<String, String> pathByName = new HashMap<>();

  ConfigOverrides(ConfigSchema schema, Source source) {
    this.schema = schema;
    this.source = source;
    for (String path : schema.leaves().keySet()) {
      pathByName.put(source == Source.ENV ? ConfigSchema.envName(path) : ConfigSchema.sysPropName(path), path);
    }
  }

  /**
   * The layer for our variables in {@code vars}, and in {@code origins} the variable that set each path.
   * Sorted by name so that the first error reported does not depend on map order.
   */
  JsonObject layer(Map<String, String> vars, Map<String, String> origins) {
    JsonObject layer = new JsonObject();
    for (Map.Entry<String, String> e : new TreeMap<>(vars).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(source.prefix) || NOT_CONFIG.contains(name)) {
        continue;
      }
      String path = pathByName.get(name);
      if (path == null) {
        throw new ConfigException(name, "no such configuration key (" + source.label + "; see docs/config.md)");
      }
      put(layer, path, value(path, e.getValue()));
      origins.put(path, source.label + " " + name);
    }
    return layer;
  }

  /**
   * JSON when the text parses as JSON, else the text itself; for a string key a bare number or boolean stays
   * text; for a list key a non-JSON text is a comma-separated list.
   */
  private Object value(String path, String text) {
    Object parsed;
    try {
      parsed = Json.decodeValue(text);
    } catch (DecodeException e) {
      parsed = text;
    }
    if (schema.isString(path) && (parsed instanceof Number || parsed instanceof Boolean)) {
      return text;
    }
    if (schema.isList(path) && parsed instanceof String s) {
      JsonArray list = new JsonArray();
      Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).forEach(list::add);
      return list;
    }
    return parsed;
  }

  private static void put(JsonObject layer, String path, Object value) {
    String[] segments = path.split("\\.");
    JsonObject node = layer;
    for (int i = 0; i < segments.length - 1; i++) {
      JsonObject child = node.getJsonObject(segments[i]);
      if (child == null) {
        child = new JsonObject();
        node.put(segments[i], child);
      }
      node = child;
    }
    node.put(segments[segments.length - 1], value);
  }
}
