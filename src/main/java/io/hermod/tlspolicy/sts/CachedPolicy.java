package io.hermod.tlspolicy.sts;

import io.hermod.tlspolicy.StsPolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One domain's fetched MTA-STS policy as cached: the parsed policy and its lines (TLS-RPT's policy-string).
 *
 * @param domain the policy domain, lower case, without a trailing dot
 */
public record CachedPolicy(String domain, StsPolicy policy, List<String> lines) {

  public CachedPolicy {
    lines = List.copyOf(lines);
  }

  /** RFC 8461 §3.2: the policy may be used for max_age seconds after it was fetched. */
  public Instant expires() {
    return policy.fetched().plusSeconds(policy.maxAge());
  }

  public boolean fresh(Instant now) {
    return now.isBefore(expires());
  }

  /** Past half its max_age: worth fetching again in the background, long before it expires (§10.2). */
  public boolean dueForRefresh(Instant now) {
    return !now.isBefore(policy.fetched().plusSeconds(policy.maxAge() / 2));
  }

  public JsonObject toJson() {
    return new JsonObject().put("domain", domain).put("mode", policy.mode().name().toLowerCase(Locale.ROOT))
        .put("mx", new JsonArray(policy.mx())).put("maxAge", policy.maxAge()).put("id", policy.id())
        .put("fetched", policy.fetched().toString()).put("lines", new JsonArray(lines));
  }

  /** The entry in {@code j}; throws (ClassCastException, IllegalArgumentException...) on a damaged one. */
  public static CachedPolicy fromJson(JsonObject j) {
    StsPolicy policy = new StsPolicy(StsPolicy.Mode.valueOf(j.getString("mode").toUpperCase(Locale.ROOT)),
        strings(j.getJsonArray("mx")), j.getLong("maxAge"), j.getString("id"), Instant.parse(j.getString("fetched")));
    return new CachedPolicy(j.getString("domain"), policy, strings(j.getJsonArray("lines")));
  }

  private static List<String> strings(JsonArray a) {
    return a.stream().map(String.class::cast).toList();
  }
}
