package io.hermod.submit;

import io.hermod.smtp.DsnNotify;
import io.hermod.smtp.DsnRet;
import io.hermod.smtp.Mailbox;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The envelope part of a request on {@link Addresses#SUBMIT}, validated (docs/injection.md). The message part
 * is handled by {@link MessageContent}.
 *
 * @param notifyOn RFC 3461 NOTIFY for every recipient; empty when not given (the default: FAILURE, DELAY)
 * @param tag    the application's correlation tag (goes into an X-Hermod-Tag header), or null
 * @param pool   the egress pool to send from (a pool of delivery.pools), or null: the usual pool selection
 * @param requireTls the application asked for REQUIRETLS handling (RFC 8689; "requireTls": true)
 */
record SubmitRequest(Mailbox sender, List<Mailbox> recipients, DsnRet ret, String envid, Set<DsnNotify> notifyOn,
                     String tag, String pool, boolean requireTls) {

  static final int MAX_ENVID = 100;  // RFC 3461 §4.4
  static final int MAX_TAG = 200;

  SubmitRequest {
    recipients = List.copyOf(recipients);
    notifyOn = Set.copyOf(notifyOn);
  }

  /** @param pools the configured egress pools: a request may name one of them and nothing else */
  static SubmitRequest parse(JsonObject json, int maxRecipients, Set<String> pools) {
    Mailbox sender = EnvelopeAddress.sender(string(json, "from"));
    if (!(json.getValue("to") instanceof JsonArray to) || to.isEmpty()) {
      throw SubmitRefused.badRequest("\"to\" must be a non-empty array of recipient addresses");
    }
    if (to.size() > maxRecipients) {
      // RFC 5321 §4.5.3.1.8: the listener answers 452 to the excess; on the bus the whole request is refused.
      throw SubmitRefused.badRequest("too many recipients: " + to.size() + " > " + maxRecipients);
    }
    List<Mailbox> recipients = new ArrayList<>(to.size());
    for (Object o : to) {
      recipients.add(EnvelopeAddress.recipient(o instanceof String s ? s : null));
    }
    JsonObject dsn = json.getValue("dsn") == null ? new JsonObject() : object(json, "dsn");
    Object requireTls = json.getValue("requireTls");
    if (requireTls != null && !(requireTls instanceof Boolean)) {
      throw SubmitRefused.badRequest("\"requireTls\" must be true or false");
    }
    return new SubmitRequest(sender, recipients, ret(dsn), envid(dsn), notify(dsn), tag(json), pool(json, pools),
        Boolean.TRUE.equals(requireTls));
  }

  /** RFC 6531: an address with UTF-8 in it needs SMTPUTF8 all the way to the recipient's server. */
  boolean needsSmtpUtf8() {
    return !sender.isAscii() || recipients.stream().anyMatch(r -> !r.isAscii());
  }

  private static DsnRet ret(JsonObject dsn) {
    String ret = string(dsn, "ret");
    if (ret == null) {
      return null;
    }
    return switch (ret.toUpperCase(Locale.ROOT)) {
      case "FULL" -> DsnRet.FULL;
      case "HDRS" -> DsnRet.HDRS;
      default -> throw SubmitRefused.badRequest("\"dsn.ret\" must be FULL or HDRS");
    };
  }

  /** RFC 3461 §4.4: at most 100 characters, printable ASCII. */
  private static String envid(JsonObject dsn) {
    String envid = string(dsn, "envid");
    if (envid != null && (envid.isEmpty() || envid.length() > MAX_ENVID || !printableAscii(envid))) {
      throw SubmitRefused.badRequest("\"dsn.envid\" must be 1 to " + MAX_ENVID + " printable ASCII characters");
    }
    return envid;
  }

  /** RFC 3461 §4.1: NEVER alone, or any of SUCCESS, FAILURE, DELAY. */
  private static Set<DsnNotify> notify(JsonObject dsn) {
    Object value = dsn.getValue("notify");
    EnumSet<DsnNotify> notify = EnumSet.noneOf(DsnNotify.class);
    if (value == null) {
      return notify;
    }
    if (!(value instanceof JsonArray arr) || arr.isEmpty()) {
      throw SubmitRefused.badRequest("\"dsn.notify\" must be a non-empty array");
    }
    for (Object o : arr) {
      try {
        notify.add(DsnNotify.valueOf(String.valueOf(o).toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw SubmitRefused.badRequest("\"dsn.notify\": unknown value " + o);
      }
    }
    if (notify.contains(DsnNotify.NEVER) && notify.size() > 1) {
      throw SubmitRefused.badRequest("\"dsn.notify\": NEVER cannot be combined with other values");
    }
    return notify;
  }

  /** Goes into a header field body: printable ASCII and spaces only, so it cannot end the field. */
  private static String tag(JsonObject json) {
    String tag = string(json, "tag");
    if (tag != null && (tag.isBlank() || tag.length() > MAX_TAG || !printableAscii(tag))) {
      throw SubmitRefused.badRequest("\"tag\" must be 1 to " + MAX_TAG + " printable ASCII characters");
    }
    return tag;
  }

  /** docs/delivery.md "Sources and pools": the pool is stored in the envelope, so it holds for every retry. */
  private static String pool(JsonObject json, Set<String> pools) {
    String pool = string(json, "pool");
    if (pool != null && !pools.contains(pool)) {
      throw SubmitRefused.badRequest("\"pool\" must name a pool of delivery.pools"
          + (pools.isEmpty() ? " (none is configured)" : " " + new java.util.TreeSet<>(pools)));
    }
    return pool;
  }

  private static boolean printableAscii(String s) {
    return s.chars().allMatch(c -> c >= 32 && c < 127);
  }

  private static String string(JsonObject json, String key) {
    Object v = json.getValue(key);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw SubmitRefused.badRequest("\"" + key + "\" must be a string");
  }

  private static JsonObject object(JsonObject json, String key) {
    if (json.getValue(key) instanceof JsonObject o) {
      return o;
    }
    throw SubmitRefused.badRequest("\"" + key + "\" must be a JSON object");
  }
}
