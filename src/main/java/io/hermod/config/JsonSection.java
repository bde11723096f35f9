package io.hermod.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Typed, range-checked reads from one JSON object; every error names the full key path. */
final class JsonSection {

  private final JsonObject json;
  private final String path;

  JsonSection(JsonObject json, String path) {
    this.json = json;
    this.path = path;
  }

  String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  JsonSection section(String name) {
    Object v = json.getValue(name);
    if (!(v instanceof JsonObject o)) {
      throw ConfigException.bad(key(name), "must be an object", v);
    }
    return new JsonSection(o, key(name));
  }

  /** For objects without defaults (list elements): refuse keys outside {@code allowed}. */
  void onlyKeys(Set<String> allowed) {
    for (String name : json.fieldNames()) {
      if (!allowed.contains(name)) {
        throw new ConfigException(key(name), "unknown key");
      }
    }
  }

  void require(String name) {
    if (!json.containsKey(name)) {
      throw new ConfigException(key(name), "missing");
    }
  }

  int intIn(String name, int min, int max) {
    return (int) longIn(name, min, max);
  }

  long longIn(String name, long min, long max) {
    require(name);
    Object v = json.getValue(name);
    Long n = asLong(v);
    if (n == null || n < min || n > max) {
      throw ConfigException.bad(key(name), "must be an integer " + range(min, max), v);
    }
    return n;
  }

  boolean bool(String name) {
    require(name);
    Object v = json.getValue(name);
    if (!(v instanceof Boolean b)) {
      throw ConfigException.bad(key(name), "must be true or false", v);
    }
    return b;
  }

  String string(String name) {
    require(name);
    Object v = json.getValue(name);
    if (!(v instanceof String s) || s.isBlank()) {
      throw ConfigException.bad(key(name), "must be a non-empty string", v);
    }
    return s.trim();
  }

  /** A string, or null when the value is null. */
  String optionalString(String name) {
    return json.getValue(name) == null ? null : string(name);
  }

  JsonArray array(String name) {
    require(name);
    Object v = json.getValue(name);
    if (!(v instanceof JsonArray a)) {
      throw ConfigException.bad(key(name), "must be a list", v);
    }
    return a;
  }

  /** True when the key is present (even as null): for optional keys whose absence means a default. */
  boolean has(String name) {
    return json.containsKey(name);
  }

  /**
   * The elements of the list {@code name}, each an object with only {@code allowed} keys, as sections keyed
   * {@code name[i]}; {@code shape} shows the expected form in the error for an element that is not an object.
   */
  List<JsonSection> objects(String name, Set<String> allowed, String shape) {
    JsonArray array = array(name);
    List<JsonSection> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String key = key(name) + "[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject o)) {
        throw ConfigException.bad(key, "must be an object " + shape, array.getValue(i));
      }
      JsonSection element = new JsonSection(o, key);
      element.onlyKeys(allowed);
      out.add(element);
    }
    return out;
  }

  /** A map with the user's keys (routing.routes): an object whose values are read by the caller. */
  JsonObject map(String name) {
    require(name);
    Object v = json.getValue(name);
    if (!(v instanceof JsonObject o)) {
      throw ConfigException.bad(key(name), "must be an object", v);
    }
    return o;
  }

  /** JSON numbers arrive as Integer, Long, BigInteger, Double or BigDecimal: accept any integral value. */
  private static Long asLong(Object v) {
    try {
      if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
        return ((Number) v).longValue();
      }
      if (v instanceof BigInteger b) {
        return b.longValueExact();
      }
      if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
        return new BigDecimal(v.toString()).longValueExact();
      }
    } catch (ArithmeticException | NumberFormatException e) {
      return null;
    }
    return null;
  }

  private static String range(long min, long max) {
    if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE) {
      return ">= " + min;
    }
    return "from " + min + " to " + max;
  }
}
