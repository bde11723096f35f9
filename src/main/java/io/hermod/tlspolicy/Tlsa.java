package io.hermod.tlspolicy;

import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * One TLSA record's data (RFC 6698 §2.1): certificate usage (RFC 7672 §3.1: only DANE-TA(2) and DANE-EE(3) are
 * usable for SMTP), selector (0 full certificate, 1 SubjectPublicKeyInfo), matching type (0 exact, 1 SHA-256,
 * 2 SHA-512) and the association data.
 */
public record Tlsa(int usage, int selector, int matchingType, byte[] data) {

  public static final int DANE_TA = 2;
  public static final int DANE_EE = 3;

  public Tlsa {
    data = data.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  public JsonObject toJson() {
    return new JsonObject().put("usage", usage).put("selector", selector).put("matchingType", matchingType)
        .put("data", Base64.getEncoder().encodeToString(data));
  }

  public static Tlsa fromJson(JsonObject j) {
    return new Tlsa(j.getInteger("usage"), j.getInteger("selector"), j.getInteger("matchingType"),
        Base64.getDecoder().decode(j.getString("data")));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tlsa t && t.usage == usage && t.selector == selector && t.matchingType == matchingType
        && Arrays.equals(t.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * usage + selector) + matchingType) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return usage + " " + selector + " " + matchingType + " " + HexFormat.of().formatHex(data);
  }
}
