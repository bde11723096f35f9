package io.hermod.tlspolicy.rpt;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The TLS sessions of one report period, counted per policy (RFC 8460 §4.4: summary counts, and failure-details
 * per result type, receiving host and address). Bounded: at most {@code maxPolicies} policies, and at most
 * {@value #MAX_DETAILS} distinct failure-details per policy (further failures count in the summary only).
 * Its JSON form is what nodes merge in shared data. Not thread-safe.
 */
final class SessionCounts {

  static final int MAX_DETAILS = 100;

  /** One policy's counts. */
  static final class Tally {
    long successes;
    long failures;
    final Map<FailureKey, Long> details = new LinkedHashMap<>();
  }

  private final int maxPolicies;
  private final Map<PolicyKey, Tally> tallies = new LinkedHashMap<>();

  SessionCounts(int maxPolicies) {
    this.maxPolicies = maxPolicies;
  }

  /** Counts one session (a failure when {@code failure} is not null); false when over the bound, not counted. */
  boolean add(PolicyKey policy, FailureKey failure) {
    return add(policy, failure == null ? 1 : 0, failure == null ? 0 : 1,
        failure == null ? Map.of() : Map.of(failure, 1L));
  }

  private boolean add(PolicyKey policy, long successes, long failures, Map<FailureKey, Long> details) {
    Tally t = tallies.get(policy);
    if (t == null) {
      if (tallies.size() >= maxPolicies) {
        return false;
      }
      t = new Tally();
      tallies.put(policy, t);
    }
    t.successes += successes;
    t.failures += failures;
    for (Map.Entry<FailureKey, Long> d : details.entrySet()) {
      if (t.details.containsKey(d.getKey()) || t.details.size() < MAX_DETAILS) {
        t.details.merge(d.getKey(), d.getValue(), Long::sum);
      }
    }
    return true;
  }

  boolean isEmpty() {
    return tallies.isEmpty();
  }

  /** Adds counts in the JSON form of {@link #toJson()} (another node's, or an earlier merge). */
  void merge(JsonObject json) {
    for (Object o : json.getJsonArray("policies", new JsonArray())) {
      JsonObject p = (JsonObject) o;
      Map<FailureKey, Long> details = new LinkedHashMap<>();
      for (Object d : p.getJsonArray("details", new JsonArray())) {
        JsonObject detail = (JsonObject) d;
        details.merge(FailureKey.fromJson(detail), detail.getLong("failed-session-count"), Long::sum);
      }
      add(PolicyKey.fromJson(p.getJsonObject("policy")), p.getLong("successes"), p.getLong("failures"), details);
    }
  }

  JsonObject toJson() {
    JsonArray policies = new JsonArray();
    tallies.forEach((key, t) -> policies.add(new JsonObject().put("policy", key.toJson())
        .put("successes", t.successes).put("failures", t.failures).put("details", details(t))));
    return new JsonObject().put("policies", policies);
  }

  /** The report's "policies" entries per policy domain (§4.4: a report is about one policy domain). */
  Map<String, JsonArray> policiesByDomain() {
    Map<String, JsonArray> byDomain = new TreeMap<>();
    tallies.forEach((key, t) -> {
      JsonObject entry = new JsonObject().put("policy", key.toJson())
          .put("summary", new JsonObject().put("total-successful-session-count", t.successes)
              .put("total-failure-session-count", t.failures));
      if (!t.details.isEmpty()) {
        entry.put("failure-details", details(t));
      }
      byDomain.computeIfAbsent(key.domain(), d -> new JsonArray()).add(entry);
    });
    return byDomain;
  }

  private static JsonArray details(Tally t) {
    List<JsonObject> list = new ArrayList<>();
    t.details.forEach((k, n) -> list.add(k.toJson(n)));
    return new JsonArray(new ArrayList<>(list));
  }
}
