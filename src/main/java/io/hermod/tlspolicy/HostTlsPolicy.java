package io.hermod.tlspolicy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a delivery to one MX host must achieve, planned by the router and carried in the delivery job (the
 * bus carries it as JSON). The delivery client enforces {@code level}; a policy that cannot be met defers the
 * recipients with a 4.7.x status and never falls back to plaintext.
 *
 * @param level        what TLS is demanded
 * @param source       why: configuration, MTA-STS or DANE
 * @param policyDomain the domain whose policy this is (the recipient domain; TLS-RPT reports per it)
 * @param reportOnly   MTA-STS "testing" (RFC 8461 §5): check as {@code verify} and report, but deliver anyway
 * @param tlsa         the usable TLSA records when {@code source} is DANE, else empty
 */
public record HostTlsPolicy(TlsLevel level, PolicySource source, String policyDomain, boolean reportOnly,
                            List<Tlsa> tlsa) {

  /** Today's behaviour: opportunistic STARTTLS, no policy. */
  public static final HostTlsPolicy OPPORTUNISTIC = new HostTlsPolicy(TlsLevel.MAY, PolicySource.NONE, null, false,
      List.of());

  public HostTlsPolicy {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(source, "source");
    tlsa = List.copyOf(tlsa);
  }

  public JsonObject toJson() {
    JsonArray records = new JsonArray();
    tlsa.forEach(t -> records.add(t.toJson()));
    JsonObject j = new JsonObject().put("level", level.keyword()).put("source", source.label());
    if (policyDomain != null) {
      j.put("policyDomain", policyDomain);
    }
    if (reportOnly) {
      j.put("reportOnly", true);
    }
    return records.isEmpty() ? j : j.put("tlsa", records);
  }

  /** The policy in {@code j}, or {@link #OPPORTUNISTIC} when {@code j} is null (a job from an older router). */
  public static HostTlsPolicy fromJson(JsonObject j) {
    if (j == null) {
      return OPPORTUNISTIC;
    }
    List<Tlsa> records = new ArrayList<>();
    JsonArray a = j.getJsonArray("tlsa");
    if (a != null) {
      a.forEach(o -> records.add(Tlsa.fromJson((JsonObject) o)));
    }
    PolicySource source = PolicySource.valueOf(j.getString("source", "none").toUpperCase(java.util.Locale.ROOT)
        .replace('-', '_'));
    return new HostTlsPolicy(TlsLevel.ofKeyword(j.getString("level")), source, j.getString("policyDomain"),
        j.getBoolean("reportOnly", false), records);
  }
}
