package io.hermod.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The known keys, taken from defaults.json: the shape of that file is the schema. Objects in it are sections
 * whose keys are checked; everything else (and the free-form maps in {@link #MAPS}) is a leaf, set as a whole.
 */
final class ConfigSchema {

  /** Objects whose keys are the user's (domains), not ours. */
  private static final Set<String> MAPS = Set.of("routing.routes", "local.transports", "local.users",
      "delivery.sources", "delivery.pools", "delivery.poolSelection.users", "delivery.poolSelection.senderDomains",
      "outboundTls.policies");
  private static final String RESOURCE = "defaults.json";

  private final JsonObject defaults;
  private final Map<String, Object> leaves; // path -> default value, in file order

  private ConfigSchema(JsonObject defaults) {
    this.defaults = defaults;
    Map<String, Object> found = new LinkedHashMap<>();
    collectLeaves(defaults, "", found);
    this.leaves = Collections.unmodifiableMap(found);
  }

  /** Read once from the class path (a small resource; the schema is a constant, not state). */
  private static final class Holder {
    static final ConfigSchema INSTANCE = new ConfigSchema(readDefaults());
  }

  static ConfigSchema get() {
    return Holder.INSTANCE;
  }

  /** A deep copy of the defaults. */
  JsonObject defaults() {
    return defaults.copy();
  }

  /** Every settable key path ("limits.maxMessageSize") with its default, in defaults.json order. */
  Map<String, Object> leaves() {
    return leaves;
  }

  boolean isList(String leafPath) {
    return leaves.get(leafPath) instanceof JsonArray;
  }

  boolean isString(String leafPath) {
    return leaves.get(leafPath) instanceof String;
  }

  /** "limits.maxMessageSize" -> "HERMOD_LIMITS_MAX_MESSAGE_SIZE". */
  static String envName(String path) {
    StringBuilder out = new StringBuilder("HERMOD");
    for (String segment : path.split("\\.")) {
      out.append('_');
      for (int i = 0; i < segment.length(); i++) {
        char c = segment.charAt(i);
        if (Character.isUpperCase(c) && i > 0) {
          out.append('_');
        }
        out.append(Character.toUpperCase(c));
      }
    }
    return out.toString();
  }

  /** "limits.maxMessageSize" -> "hermod.limits.maxMessageSize". */
  static String sysPropName(String path) {
    return "hermod." + path;
  }

  /**
   * Returns a copy of {@code base} with {@code layer} merged over it: sections merge key by key, leaves are
   * replaced whole. A key the schema does not know, or a section that is not an object, is an error.
   */
  JsonObject merge(JsonObject base, JsonObject layer) {
    JsonObject out = base.copy();
    mergeInto(out, layer, defaults, "");
    return out;
  }

  private void mergeInto(JsonObject target, JsonObject layer, JsonObject schema, String prefix) {
    for (Map.Entry<String, Object> e : layer) {
      String path = prefix + e.getKey();
      if (!schema.containsKey(e.getKey())) {
        throw new ConfigException(path, "unknown key");
      }
      Object known = schema.getValue(e.getKey());
      if (known instanceof JsonObject section && !MAPS.contains(path)) {
        if (!(e.getValue() instanceof JsonObject given)) {
          throw ConfigException.bad(path, "must be an object", e.getValue());
        }
        mergeInto(target.getJsonObject(e.getKey()), given, section, path + ".");
      } else {
        target.put(e.getKey(), e.getValue());
      }
    }
  }

  private static void collectLeaves(JsonObject node, String prefix, Map<String, Object> out) {
    for (Map.Entry<String, Object> e : node) {
      String path = prefix + e.getKey();
      if (e.getValue() instanceof JsonObject section && !MAPS.contains(path)) {
        collectLeaves(section, path + ".", out);
      } else {
        out.put(path, e.getValue());
      }
    }
  }

  /** Leaf paths as a list, for tests and docs. */
  List<String> leafPaths() {
    return new ArrayList<>(leaves.keySet());
  }

  private static JsonObject readDefaults() {
    try (InputStream in = ConfigSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource io/hermod/config/" + RESOURCE);
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
