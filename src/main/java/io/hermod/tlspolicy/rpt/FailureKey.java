package io.hermod.tlspolicy.rpt;

import io.vertx.core.json.JsonObject;

/**
 * What failure-details are counted under (RFC 8460 §4.4); null fields are left out of the report.
 *
 * @param resultType  the §4.3 result type
 * @param mxHost      receiving-mx-hostname
 * @param receivingIp receiving-ip
 * @param reason      failure-reason-code: a short text
 */
public record FailureKey(String resultType, String mxHost, String receivingIp, String reason) {

  /** The failure-details object with its count. */
  public JsonObject toJson(long count) {
    JsonObject j = new JsonObject().put("result-type", resultType);
    if (receivingIp != null) {
      j.put("receiving-ip", receivingIp);
    }
    if (mxHost != null) {
      j.put("receiving-mx-hostname", mxHost);
    }
    j.put("failed-session-count", count);
    if (reason != null) {
      j.put("failure-reason-code", reason);
    }
    return j;
  }

  public static FailureKey fromJson(JsonObject j) {
    return new FailureKey(j.getString("result-type"), j.getString("receiving-mx-hostname"),
        j.getString("receiving-ip"), j.getString("failure-reason-code"));
  }
}
