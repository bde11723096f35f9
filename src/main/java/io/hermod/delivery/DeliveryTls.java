package io.hermod.delivery;

import io.hermod.tlspolicy.HostTlsPolicy;
import io.vertx.core.json.JsonObject;

/**
 * Which TLS policy applied to a delivery attempt and what TLS it got: for the log line, the report to the
 * router and the events ("tlsPolicy", "tls": docs/eventbus.md).
 *
 * @param source  the policy's source: none, config, mta-sts, dane
 * @param level   the level: none, may, encrypt, verify, dane, dane-only; "verify report-only" for MTA-STS testing
 * @param outcome "TLSv1.3 TLS_AES_128_GCM_SHA256 verified" (or "... dane", "... unverified",
 *                "... failed certificate-expired"), or "none" (plaintext, or no session)
 */
public record DeliveryTls(String source, String level, String outcome) {

  static DeliveryTls of(SessionTls s) {
    return new DeliveryTls(s.policy().source().label(), levelOf(s.policy()), s.summary());
  }

  /** No session was established (every host failed): the first host's policy, no TLS. */
  static DeliveryTls notConnected(HostTlsPolicy p) {
    return new DeliveryTls(p.source().label(), levelOf(p), "none");
  }

  private static String levelOf(HostTlsPolicy p) {
    return p.level().keyword() + (p.reportOnly() ? " report-only" : "");
  }

  /** "tlsPolicy=verify/mta-sts, tls=TLSv1.3 TLS_AES_128_GCM_SHA256 verified". */
  String logText() {
    return "tlsPolicy=" + level + "/" + source + ", tls=" + outcome;
  }

  JsonObject toJson() {
    return new JsonObject().put("source", source).put("level", level).put("outcome", outcome);
  }

  static DeliveryTls fromJson(JsonObject j) {
    return j == null ? null : new DeliveryTls(j.getString("source"), j.getString("level"), j.getString("outcome"));
  }
}
