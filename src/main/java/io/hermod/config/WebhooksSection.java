package io.hermod.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and checks the "webhooks" list (docs/config.md "webhooks[]", docs/events.md "Webhooks"). */
final class WebhooksSection {

  private static final Set<String> KEYS = Set.of("name", "url", "secret", "secretFile", "secretEnv", "batchSize",
      "maxBatchBytes", "lingerMillis", "concurrency", "timeoutMillis", "retryInitialMillis", "retryMaxMillis",
      "outcomes", "headers");
  /** The outcomes of docs/eventbus.md's events. */
  static final Set<String> OUTCOMES = Set.of("delivered", "deferred", "bounced", "expired");
  // The name becomes a cursor name and a metric tag: keep it short and plain.
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  // RFC 9110 §5.1: a field name is a token.
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  /** Headers Hermod (or the HTTP client) sets: a configured one would break the request or the signature. */
  private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-type", "content-length",
      "transfer-encoding", "connection", "user-agent");
  private static final int MIN_SECRET_LENGTH = 16;

  private WebhooksSection() {
  }

  static List<WebhookConfig> bind(JsonSection root) {
    JsonArray array = root.array("webhooks");
    if (!array.isEmpty() && !root.section("events").section("journal").bool("enabled")) {
      // Webhooks read the journal: without it they would have nothing to send (docs/events.md).
      throw new ConfigException(root.key("webhooks"), "webhooks need events.journal.enabled = true");
    }
    List<WebhookConfig> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      String key = root.key("webhooks") + "[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject o)) {
        throw ConfigException.bad(key, "must be an object", array.getValue(i));
      }
      WebhookConfig w = endpoint(new JsonSection(o, key), o);
      if (!names.add(w.name())) {
        throw ConfigException.bad(key + ".name", "must be unique among webhooks", w.name());
      }
      out.add(w);
    }
    return List.copyOf(out);
  }

  private static WebhookConfig endpoint(JsonSection w, JsonObject o) {
    w.onlyKeys(KEYS);
    String name = w.string("name");
    if (!NAME.matcher(name).matches()) {
      throw ConfigException.bad(w.key("name"), "must be 1 to 64 letters, digits, '.', '_' or '-'", name);
    }
    URI url = url(w);
    WebhookConfig.Secret secret = secret(w, o);
    int batchSize = optionalInt(w, o, "batchSize", 100, 1, 10_000);
    int maxBatchBytes = optionalInt(w, o, "maxBatchBytes", 1_048_576, 1024, 64 * 1_048_576);
    int linger = optionalInt(w, o, "lingerMillis", 1000, 0, 60_000);
    int concurrency = optionalInt(w, o, "concurrency", 1, 1, 16);
    int timeout = optionalInt(w, o, "timeoutMillis", 10_000, 100, 300_000);
    int retryInitial = optionalInt(w, o, "retryInitialMillis", 1000, 10, 3_600_000);
    int retryMax = optionalInt(w, o, "retryMaxMillis", 300_000, 10, 86_400_000);
    if (retryMax < retryInitial) {
      throw ConfigException.bad(w.key("retryMaxMillis"), "must be >= webhooks[].retryInitialMillis ("
          + retryInitial + ")", retryMax);
    }
    return new WebhookConfig(name, url, secret, batchSize, maxBatchBytes, linger, concurrency, timeout, retryInitial,
        retryMax, outcomes(w, o), headers(w, o));
  }

  private static URI url(JsonSection w) {
    String text = w.string("url");
    try {
      URI url = new URI(text);
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw ConfigException.bad(w.key("url"), "must be an http:// or https:// URL", text);
      }
      if (url.getHost() == null || url.getRawUserInfo() != null || url.getRawFragment() != null) {
        throw ConfigException.bad(w.key("url"), "must be an http(s) URL with a host, no user info and no fragment",
            text);
      }
      return url;
    } catch (URISyntaxException e) {
      throw ConfigException.bad(w.key("url"), "must be an http:// or https:// URL", text);
    }
  }

  /** Exactly one of secret, secretFile, secretEnv: the receiver can only trust a signed POST. */
  private static WebhookConfig.Secret secret(JsonSection w, JsonObject o) {
    List<String> given = new ArrayList<>();
    for (String k : List.of("secret", "secretFile", "secretEnv")) {
      if (o.getValue(k) != null) {
        given.add(k);
      }
    }
    if (given.size() != 1) {
      throw new ConfigException(w.key(given.isEmpty() ? "secret" : given.get(1)),
          "give exactly one of secret, secretFile or secretEnv");
    }
    String k = given.get(0);
    String value = w.string(k);
    return switch (k) {
      case "secret" -> {
        if (value.length() < MIN_SECRET_LENGTH) {
          throw new ConfigException(w.key(k), "must be at least " + MIN_SECRET_LENGTH + " characters");
        }
        yield new WebhookConfig.Secret(WebhookConfig.Secret.Kind.INLINE, value, w.key(k));
      }
      case "secretFile" -> new WebhookConfig.Secret(WebhookConfig.Secret.Kind.FILE, value, w.key(k));
      default -> new WebhookConfig.Secret(WebhookConfig.Secret.Kind.ENV, value, w.key(k));
    };
  }

  private static int optionalInt(JsonSection w, JsonObject o, String name, int dflt, int min, int max) {
    return o.getValue(name) == null ? dflt : w.intIn(name, min, max);
  }

  private static Set<String> outcomes(JsonSection w, JsonObject o) {
    if (o.getValue("outcomes") == null) {
      return Set.of();
    }
    JsonArray list = w.array("outcomes");
    if (list.isEmpty()) {
      throw ConfigException.bad(w.key("outcomes"), "must name at least one outcome (leave it out for all)", list);
    }
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < list.size(); i++) {
      Object v = list.getValue(i);
      String outcome = v instanceof String s ? s.trim().toLowerCase(Locale.ROOT) : "";
      if (!OUTCOMES.contains(outcome)) {
        throw ConfigException.bad(w.key("outcomes") + "[" + i + "]",
            "must be delivered, deferred, bounced or expired", v);
      }
      out.add(outcome);
    }
    return Set.copyOf(out);
  }

  private static Map<String, String> headers(JsonSection w, JsonObject o) {
    if (o.getValue("headers") == null) {
      return Map.of();
    }
    JsonObject headers = w.map("headers");
    Map<String, String> out = new LinkedHashMap<>();
    for (String field : headers.fieldNames()) {
      String key = w.key("headers") + "." + field;
      String lower = field.toLowerCase(Locale.ROOT);
      if (!TOKEN.matcher(field).matches() || RESERVED_HEADERS.contains(lower) || lower.startsWith("x-hermod-")) {
        throw ConfigException.bad(key, "must be a header name other than Host, Content-Type, Content-Length, "
            + "Transfer-Encoding, Connection, User-Agent and X-Hermod-*", field);
      }
      Object v = headers.getValue(field);
      // RFC 9110 §5.5: no CR, LF or NUL in a field value (header injection).
      if (!(v instanceof String s) || s.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
        throw ConfigException.bad(key, "must be a string without CR, LF or NUL", v);
      }
      out.put(field, s);
    }
    return java.util.Collections.unmodifiableMap(out);
  }
}
