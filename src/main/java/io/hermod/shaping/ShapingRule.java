package io.hermod.shaping;

import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One shaping rule (KumoMTA's Traffic Shaping Automation): when a reply matches {@code match}, {@code count}
 * times within {@code withinMillis} in one scope, {@code action} applies to that scope for
 * {@code durationMillis}. JSON form (docs/delivery.md "Shaping rules"):
 * <pre>{"name": "gmail-rate", "match": "^421 4\\.7\\.28", "scope": "site", "count": 1, "withinSeconds": 0,
 *  "action": "suspend", "durationSeconds": 900, "value": 0}</pre>
 *
 * @param value for {@code limitConnections} the connection cap, for {@code limitRate} jobs per minute
 */
public record ShapingRule(String name, Pattern match, Scope scope, int count, long withinMillis, Action action,
                          long durationMillis, int value) {

  /** Where a decision holds. */
  public enum Scope {
    /** The (egress source, site) queue whose reply matched. */
    SITE,
    /** The site for every egress source: every IP of ours (a provider blocking the sender as a whole). */
    PROVIDER,
    /** The egress source for every site: this IP everywhere (a blocklisting). */
    SOURCE
  }

  public enum Action {
    /** No new connection; queued mail is deferred without an attempt until the end, which a single probe starts. */
    SUSPEND,
    /** At most {@code value} connections at once. */
    LIMIT_CONNECTIONS,
    /** At most {@code value} jobs a minute. */
    LIMIT_RATE,
    /** Queued and new mail fails at once ("554 5.0.0 bounced by shaping rule ..."). */
    BOUNCE
  }

  private static final Set<String> KEYS = Set.of("name", "match", "scope", "count", "withinSeconds", "action",
      "durationSeconds", "value");

  /** Parses one rule; IllegalArgumentException with a one-line reason when it is wrong. */
  public static ShapingRule fromJson(JsonObject json) {
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown key " + key);
      }
    }
    String name = text(json, "name");
    Pattern match;
    try {
      match = Pattern.compile(text(json, "match"));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("match must be a regular expression (" + e.getDescription() + ")");
    }
    Scope scope = choice(Scope.class, json.getValue("scope", "site"), "scope");
    Action action = choice(Action.class, json.getValue("action"), "action");
    int count = whole(json, "count", 1, 1, 1_000_000);
    int within = whole(json, "withinSeconds", 0, 0, 86_400 * 7);
    if (count > 1 && within == 0) {
      throw new IllegalArgumentException("withinSeconds is needed when count > 1");
    }
    int duration = whole(json, "durationSeconds", -1, 1, 86_400 * 7);
    boolean limit = action == Action.LIMIT_CONNECTIONS || action == Action.LIMIT_RATE;
    int value = whole(json, "value", limit ? -1 : 0, limit ? 1 : 0, 1_000_000);
    return new ShapingRule(name, match, scope, count, within * 1000L, action, duration * 1000L, value);
  }

  public boolean matches(String reply) {
    return match.matcher(reply).find();
  }

  private static String text(JsonObject json, String key) {
    Object v = json.getValue(key);
    if (!(v instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException(key + " must be a non-empty string");
    }
    return s;
  }

  /** "limitConnections" or "limit_connections" for LIMIT_CONNECTIONS. */
  private static <E extends Enum<E>> E choice(Class<E> type, Object v, String key) {
    if (v instanceof String s) {
      String wanted = s.replace("_", "").toLowerCase(Locale.ROOT);
      for (E e : type.getEnumConstants()) {
        if (e.name().replace("_", "").toLowerCase(Locale.ROOT).equals(wanted)) {
          return e;
        }
      }
    }
    throw new IllegalArgumentException(key + " must be one of " + java.util.Arrays.stream(type.getEnumConstants())
        .map(e -> camel(e.name())).toList() + ", not " + v);
  }

  private static String camel(String constant) {
    StringBuilder out = new StringBuilder();
    boolean up = false;
    for (char c : constant.toLowerCase(Locale.ROOT).toCharArray()) {
      if (c == '_') {
        up = true;
      } else {
        out.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return out.toString();
  }

  /** An integer in [min, max]; {@code absent} when missing (-1: required). */
  private static int whole(JsonObject json, String key, int absent, int min, int max) {
    Object v = json.getValue(key);
    if (v == null) {
      if (absent < 0) {
        throw new IllegalArgumentException(key + " is required");
      }
      return absent;
    }
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min
        || ((Number) v).longValue() > max) {
      throw new IllegalArgumentException(key + " must be a whole number in " + min + ".." + max + ", not " + v);
    }
    return ((Number) v).intValue();
  }
}
