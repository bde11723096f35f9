package io.hermod.config;

/**
 * A configuration problem that stops startup. The message is always exactly one line:
 * {@code config: limits.maxMessageSize: must be an integer >= 1024 (got "-5")}.
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private static final int MAX_SHOWN = 80;

  private final String key;
  private final String problem;

  /**
   * @param key     the full key path ("listeners[1].port"), the override name ("HERMOD_X"), or null when the
   *                problem is with the configuration file as a whole
   * @param problem what is wrong, without the key
   */
  public ConfigException(String key, String problem) {
    super(oneLine(key == null ? "config: " + problem : "config: " + key + ": " + problem));
    this.key = key;
    this.problem = problem;
  }

  /** The key path the problem is about, or null for a problem with the file as a whole. */
  public String key() {
    return key;
  }

  /** The problem without the "config: key: " prefix. */
  public String problem() {
    return problem;
  }

  /** {@code must be ... (got "value")}: the offending value quoted, escaped and shortened to stay one line. */
  static ConfigException bad(String key, String expectation, Object value) {
    return new ConfigException(key, expectation + " (got " + show(value) + ")");
  }

  static String show(Object value) {
    String text = value == null ? "null" : value instanceof io.vertx.core.json.JsonObject o ? o.encode()
        : value instanceof io.vertx.core.json.JsonArray a ? a.encode() : String.valueOf(value);
    if (text.length() > MAX_SHOWN) {
      text = text.substring(0, MAX_SHOWN) + "...";
    }
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Control characters would break the one-line promise (and could forge log lines). */
  private static String oneLine(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
