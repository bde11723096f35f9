package io.hermod.tlspolicy.rpt;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The "policy" object of an RFC 8460 §4.4 report: what sessions are counted under.
 *
 * @param type   "sts", "tlsa" or "no-policy-found" (§4.5)
 * @param domain the policy domain
 * @param lines  the policy-string: the MTA-STS policy's lines, or the TLSA records in presentation form; empty
 *               when unknown (a policy that could not be fetched)
 * @param mxHost the mx-host: the MTA-STS policy's mx patterns, or the MX host of the TLSA records
 */
public record PolicyKey(String type, String domain, List<String> lines, List<String> mxHost) {

  public PolicyKey {
    lines = List.copyOf(lines);
    mxHost = List.copyOf(mxHost);
  }

  /** The report's "policy" object (policy-string and mx-host only when known). */
  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("policy-type", type);
    if (!lines.isEmpty()) {
      j.put("policy-string", new JsonArray(lines));
    }
    j.put("policy-domain", domain);
    if (!mxHost.isEmpty()) {
      j.put("mx-host", new JsonArray(mxHost));
    }
    return j;
  }

  public static PolicyKey fromJson(JsonObject j) {
    return new PolicyKey(j.getString("policy-type"), j.getString("policy-domain"),
        strings(j.getJsonArray("policy-string")), strings(j.getJsonArray("mx-host")));
  }

  static List<String> strings(JsonArray a) {
    return a == null ? List.of() : a.stream().map(String.class::cast).toList();
  }
}
