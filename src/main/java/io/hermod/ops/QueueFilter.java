package io.hermod.ops;

import io.hermod.queue.QueueIndex;
import io.hermod.spool.Envelope;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.function.Function;

/**
 * The filter of {@code GET /queue} and of a bulk action (docs/operations.md): domain, site, sender, state and
 * age since arrival; null (or 0 for an age) means "any". Parsed once from query parameters or a JSON body, kept
 * in a bulk job's file as JSON.
 */
record QueueFilter(String domain, String site, String sender, QueueIndex.State state, long minAgeSeconds,
                   long maxAgeSeconds) {

  static final QueueFilter ANY = new QueueFilter(null, null, null, null, 0, 0);

  /** From named values ({@code req::getParam}, a JSON body's strings): 400 on a bad state or age. */
  static QueueFilter parse(Function<String, String> value) {
    String domain = blankToNull(value.apply("domain"));
    return new QueueFilter(domain == null ? null : domain.toLowerCase(Locale.ROOT), blankToNull(value.apply("site")),
        blankToNull(value.apply("sender")), state(blankToNull(value.apply("state"))),
        age("minAge", blankToNull(value.apply("minAge"))), age("maxAge", blankToNull(value.apply("maxAge"))));
  }

  static QueueFilter fromJson(JsonObject json) {
    return parse(name -> json.getValue(name) == null ? null : String.valueOf(json.getValue(name)));
  }

  /** The fields given, in the request's names ({} for any message). */
  JsonObject toJson() {
    JsonObject json = new JsonObject();
    putIf(json, "domain", domain);
    putIf(json, "site", site);
    putIf(json, "sender", sender);
    putIf(json, "state", state == null ? null : state.name().toLowerCase(Locale.ROOT));
    putIf(json, "minAge", minAgeSeconds > 0 ? minAgeSeconds + "s" : null);
    putIf(json, "maxAge", maxAgeSeconds > 0 ? maxAgeSeconds + "s" : null);
    return json;
  }

  private static void putIf(JsonObject json, String name, String value) {
    if (value != null) {
      json.put(name, value);
    }
  }

  boolean isAny() {
    return equals(ANY);
  }

  QueueIndex.Filter toIndex() {
    return new QueueIndex.Filter(domain, site, "<>".equals(sender) ? "" : sender, state, minAgeSeconds,
        maxAgeSeconds);
  }

  /** The index compares senders by hash: the envelope confirms it (the null sender is "<>" or ""). */
  boolean senderMatches(Envelope env) {
    return sender == null || sender.equalsIgnoreCase(env.sender()) || (env.sender().isEmpty() && sender.equals("<>"));
  }

  private static QueueIndex.State state(String given) {
    if (given == null) {
      return null;
    }
    try {
      return QueueIndex.State.valueOf(given.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new AdminException(400, "state must be held, deferred, ready, active or waiting, not " + given);
    }
  }

  /** "90" or "90s", "15m", "2h", "3d": seconds. */
  static long age(String name, String given) {
    if (given == null) {
      return 0;
    }
    char unit = Character.toLowerCase(given.charAt(given.length() - 1));
    long scale = switch (unit) {
      case 's' -> 1;
      case 'm' -> 60;
      case 'h' -> 3600;
      case 'd' -> 86400;
      default -> Character.isDigit(unit) ? 1 : -1;
    };
    String digits = Character.isDigit(unit) ? given : given.substring(0, given.length() - 1);
    try {
      long n = Long.parseLong(digits);
      if (scale > 0 && n >= 0 && n <= Long.MAX_VALUE / 86400) {
        return n * scale;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new AdminException(400, name + " must be a duration like 90s, 15m, 2h or 3d, not " + given);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
