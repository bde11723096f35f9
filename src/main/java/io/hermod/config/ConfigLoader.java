package io.hermod.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds the {@link HermodConfig}: defaults.json, then the configuration file, then HERMOD_* environment
 * variables, then hermod.* system properties (each overriding the one before). Every problem is a
 * {@link ConfigException} with a one-line message naming the key. Keys are documented in docs/config.md.
 */
public final class ConfigLoader {

  /** A location inside Jackson's message: "[Source: REDACTED (...); line: 1, column: 1]". */
  private static final Pattern SOURCE = Pattern.compile("\\[Source: [^\\]]*?line: (\\d+)(?:, column: (\\d+))?\\]");

  private ConfigLoader() {
  }

  /** The file's JSON merged over the defaults and validated. Pure: no Vert.x, no I/O beyond the defaults. */
  public static HermodConfig fromJson(JsonObject json) {
    ConfigSchema schema = ConfigSchema.get();
    return ConfigBinder.bind(schema.merge(schema.defaults(), json));
  }

  /**
   * The file, then the environment, then system properties over the defaults, validated. Only names with our
   * prefix (HERMOD_, hermod.) are looked at; an unknown one is an error. Pure.
   */
  public static HermodConfig fromSources(JsonObject file, Map<String, String> env, Map<String, String> sysProps) {
    return fromSources(file, env, sysProps, Map.of());
  }

  /** The same with a last layer from command-line flags, as hermod.* names ("hermod.cluster.enabled"). */
  public static HermodConfig fromSources(JsonObject file, Map<String, String> env, Map<String, String> sysProps,
                                         Map<String, String> flags) {
    ConfigSchema schema = ConfigSchema.get();
    Map<String, String> origins = new HashMap<>();
    JsonObject merged = schema.merge(schema.defaults(), file);
    merged = schema.merge(merged, new ConfigOverrides(schema, ConfigOverrides.Source.ENV).layer(env, origins));
    merged = schema.merge(merged, new ConfigOverrides(schema, ConfigOverrides.Source.SYS).layer(sysProps, origins));
    merged = schema.merge(merged, new ConfigOverrides(schema, ConfigOverrides.Source.CLI).layer(flags, origins));
    try {
      return ConfigBinder.bind(merged);
    } catch (ConfigException e) {
      String origin = originOf(e.key(), origins);
      throw origin == null ? e : new ConfigException(e.key(), e.problem() + " [from " + origin + "]");
    }
  }

  /**
   * Reads the JSON file at {@code path}, the environment and the system properties through Vert.x Config
   * (one retriever per store, so each layer keeps its place in the precedence) and builds the configuration.
   * Fails with a {@link ConfigException} on a missing or unreadable file, bad JSON or a bad value.
   */
  public static Future<HermodConfig> load(Vertx vertx, String path) {
    return load(vertx, path, Map.of());
  }

  /** The same with command-line flags as the last layer (see {@link #fromSources(JsonObject, Map, Map, Map)}). */
  public static Future<HermodConfig> load(Vertx vertx, String path, Map<String, String> flags) {
    return vertx.fileSystem().exists(path).compose(exists -> {
      if (!exists) {
        return Future.failedFuture(new ConfigException(null, "file " + path + " not found"));
      }
      Future<JsonObject> file = retrieve(vertx, new ConfigStoreOptions().setType("file").setFormat("json")
          .setConfig(new JsonObject().put("path", path)))
          .recover(e -> Future.failedFuture(new ConfigException(null, "file " + path + ": " + reason(e))));
      // raw-data keeps every value a string: the schema decides how to read it, not the store's guessing.
      Future<JsonObject> env = retrieve(vertx, new ConfigStoreOptions().setType("env")
          .setConfig(new JsonObject().put("raw-data", true)));
      Future<JsonObject> sys = retrieve(vertx, new ConfigStoreOptions().setType("sys")
          .setConfig(new JsonObject().put("raw-data", true).put("cache", false)));
      return Future.all(file, env, sys)
          .map(done -> fromSources(file.result(), strings(env.result()), strings(sys.result()), flags));
    });
  }

  private static Future<JsonObject> retrieve(Vertx vertx, ConfigStoreOptions store) {
    // scanPeriod 0: no periodic re-read timer; this retriever is used once and closed.
    ConfigRetriever retriever = ConfigRetriever.create(vertx,
        new ConfigRetrieverOptions().setScanPeriod(0).addStore(store));
    return retriever.getConfig().eventually(retriever::close);
  }

  private static Map<String, String> strings(JsonObject json) {
    Map<String, String> out = new LinkedHashMap<>();
    json.forEach(e -> out.put(e.getKey(), String.valueOf(e.getValue())));
    return out;
  }

  /** The override that set {@code key} or a key containing it ("listeners" for "listeners[1].port"). */
  private static String originOf(String key, Map<String, String> origins) {
    if (key == null) {
      return null;
    }
    for (Map.Entry<String, String> e : origins.entrySet()) {
      String p = e.getKey();
      if (key.equals(p) || key.startsWith(p + ".") || key.startsWith(p + "[")) {
        return e.getValue();
      }
    }
    return null;
  }

  /**
   * One line: what Jackson found wrong and where (its {@link JsonProcessingException#getLocation()}: the line and
   * column where it stopped reading), or the I/O error. Jackson's message itself has no use for an operator past
   * its first sentence: it names the source as "REDACTED" and, for an unclosed object, gives the position of the
   * opening brace ("line: 1, column: 1") before its own.
   */
  static String reason(Throwable e) {
    boolean json = false;
    JsonProcessingException jackson = null;
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      json |= t instanceof DecodeException;
      if (jackson == null && t instanceof JsonProcessingException j) {
        jackson = j;
      }
      root = t;
    }
    if (jackson != null) {
      String what = SOURCE.matcher(jackson.getOriginalMessage().lines().findFirst().orElse("").trim())
          .replaceAll(m -> "line " + m.group(1) + (m.group(2) == null ? "" : ", column " + m.group(2)));
      JsonLocation where = jackson.getLocation();
      return "not valid JSON: " + what + (where == null || where.getLineNr() < 1 ? ""
          : " at line " + where.getLineNr() + ", column " + where.getColumnNr());
    }
    String message = String.valueOf(root.getMessage());
    if (!json) {
      return "cannot be read: " + message.lines().findFirst().orElse("").trim();
    }
    return "not valid JSON (the file must hold one JSON object)";
  }

}
