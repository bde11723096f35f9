package io.hermod.spool;

import io.hermod.json.JsonFields;
import io.hermod.smtp.DsnNotify;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.EnumSet;
import java.util.Set;

/**
 * One envelope recipient and its delivery state.
 *
 * @param address   the forward-path mailbox as given in RCPT TO (without angle brackets)
 * @param orcpt     RFC 3461 ORCPT, xtext-decoded, with its address type ("rfc822;bob@x"), or null
 * @param notifyOn  RFC 3461 NOTIFY, empty when the client gave none (default: FAILURE, DELAY)
 * @param state     where delivery stands
 * @param attempts  delivery attempts so far for this recipient
 * @param lastReply the last reply (or local reason) seen for it, e.g. "451 4.7.1 try later", or null
 */
public record Recipient(String address, String orcpt, Set<DsnNotify> notifyOn, RecipientState state,
                        int attempts, String lastReply) implements JsonFields {

  public Recipient {
    notifyOn = Set.copyOf(notifyOn);
  }

  public static Recipient pending(String address, String orcpt, Set<DsnNotify> notify) {
    return new Recipient(address, orcpt, notify, RecipientState.PENDING, 0, null);
  }

  public Recipient withOutcome(RecipientState newState, String reply) {
    return new Recipient(address, orcpt, notifyOn, newState, attempts + 1, reply);
  }

  public JsonObject toJson() {
    return JsonFields.object(this);
  }

  /** The fields of the recipient's JSON, in order (docs/spool.md). */
  @Override
  public void fieldsTo(FieldSink json) {
    json.put("address", address);
    json.put("state", state.name());
    json.put("attempts", attempts);
    if (orcpt != null) {
      json.put("orcpt", orcpt);
    }
    if (!notifyOn.isEmpty()) {
      json.putStrings("notify", notifyOn.stream().sorted().map(DsnNotify::name).toList());
    }
    if (lastReply != null) {
      json.put("lastReply", lastReply);
    }
  }

  public static Recipient fromJson(JsonObject json) {
    EnumSet<DsnNotify> notify = EnumSet.noneOf(DsnNotify.class);
    JsonArray arr = json.getJsonArray("notify");
    if (arr != null) {
      for (Object o : arr) {
        notify.add(DsnNotify.valueOf((String) o));
      }
    }
    return new Recipient(required(json, "address"), json.getString("orcpt"), notify,
        RecipientState.valueOf(required(json, "state")), json.getInteger("attempts", 0), json.getString("lastReply"));
  }

  static String required(JsonObject json, String key) {
    String v = json.getString(key);
    if (v == null) {
      throw new IllegalArgumentException("envelope field missing: " + key);
    }
    return v;
  }
}
