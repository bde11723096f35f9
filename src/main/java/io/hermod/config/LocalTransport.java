package io.hermod.config;

import io.vertx.core.json.JsonObject;

/**
 * How mail for one local domain is delivered ("local.transports" values, docs/local-delivery.md). The JSON
 * form travels in local delivery jobs, so the local delivery verticle needs no configuration of its own.
 */
public sealed interface LocalTransport
    permits LocalTransport.None, LocalTransport.Maildir, LocalTransport.Lmtp, LocalTransport.Bus {

  JsonObject toJson();

  /** Parses the JSON form ({"type": ...}); throws IllegalArgumentException with a reason. */
  static LocalTransport fromJson(JsonObject j) {
    String type = j.getString("type");
    if (type == null) {
      throw new IllegalArgumentException("\"type\" is missing");
    }
    return switch (type) {
      case "none" -> new None();
      case "maildir" -> new Maildir(nonBlank(j, "directory"));
      case "lmtp" -> new Lmtp(nonBlank(j, "host"), port(j));
      case "bus" -> new Bus(nonBlank(j, "address"));
      default -> throw new IllegalArgumentException("\"type\" must be \"maildir\", \"lmtp\", \"bus\" or \"none\"");
    };
  }

  /** Today's behaviour before local delivery existed: recipients stay queued untouched. */
  record None() implements LocalTransport {
    public JsonObject toJson() {
      return new JsonObject().put("type", "none");
    }
  }

  /** A Maildir++ folder per user; {@code %d} is the domain, {@code %u} the local part in lower case. */
  record Maildir(String directory) implements LocalTransport {
    public JsonObject toJson() {
      return new JsonObject().put("type", "maildir").put("directory", directory);
    }
  }

  /** An LMTP server (RFC 2033), e.g. Dovecot's. */
  record Lmtp(String host, int port) implements LocalTransport {
    public JsonObject toJson() {
      return new JsonObject().put("type", "lmtp").put("host", host).put("port", port);
    }
  }

  /** An application's event-bus consumer; its reply is the acknowledgement. */
  record Bus(String address) implements LocalTransport {
    public JsonObject toJson() {
      return new JsonObject().put("type", "bus").put("address", address);
    }
  }

  private static String nonBlank(JsonObject j, String key) {
    Object v = j.getValue(key);
    if (!(v instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException("\"" + key + "\" must be a non-empty string");
    }
    return s.trim();
  }

  private static int port(JsonObject j) {
    Object v = j.getValue("port");
    if (!(v instanceof Number n) || n.doubleValue() != n.intValue() || n.intValue() < 1 || n.intValue() > 65535) {
      throw new IllegalArgumentException("\"port\" must be an integer from 1 to 65535");
    }
    return n.intValue();
  }
}
