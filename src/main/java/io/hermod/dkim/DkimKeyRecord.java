package io.hermod.dkim;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * A DKIM public key record (RFC 6376 §3.6.1) from the TXT record at {@code s._domainkey.d}.
 *
 * @param keyType  k= ("rsa" by default, or "ed25519", RFC 8463 §4.2)
 * @param key      the public key
 * @param testing  t=y: the domain is testing DKIM (§3.6.1)
 */
public record DkimKeyRecord(String keyType, PublicKey key, boolean testing) {

  /** RFC 8301 §3.2: verifiers MUST NOT consider signatures with RSA keys under 1024 bits valid. */
  static final int MIN_RSA_BITS = 1024;

  /**
   * Parses a record's text (its strings already joined).
   *
   * @throws DkimException permerror for a malformed record, a revoked (empty p=) or unusable key
   */
  static DkimKeyRecord parse(String text) {
    Map<String, String> tags = DkimTags.parse(text);
    String v = tags.get("v");
    if (v != null && (!v.equals("DKIM1") || !tags.keySet().iterator().next().equals("v"))) {
      throw DkimException.perm("key record: v= must be DKIM1 and come first");
    }
    String k = tags.getOrDefault("k", "rsa").toLowerCase(Locale.ROOT);
    String h = tags.get("h");
    if (h != null && Arrays.stream(h.split(":")).map(DkimTags::withoutWhiteSpace).noneMatch("sha256"::equals)) {
      throw DkimException.perm("key record: h= does not allow sha256");
    }
    String s = tags.get("s");
    if (s != null && Arrays.stream(s.split(":")).map(DkimTags::withoutWhiteSpace)
        .noneMatch(t -> t.equals("*") || t.equals("email"))) {
      throw DkimException.perm("key record: not for email (s=)");
    }
    String p = tags.get("p");
    if (p == null) {
      throw DkimException.perm("key record: no p=");
    }
    p = DkimTags.withoutWhiteSpace(p);
    if (p.isEmpty()) {
      throw DkimException.perm("key revoked"); // §3.6.1: an empty p= means the key has been revoked
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(p);
    } catch (IllegalArgumentException e) {
      throw DkimException.perm("key record: bad base64 in p=");
    }
    boolean testing = tags.containsKey("t")
        && Arrays.stream(tags.get("t").split(":")).map(DkimTags::withoutWhiteSpace).anyMatch("y"::equals);
    return new DkimKeyRecord(k, publicKey(k, bytes), testing);
  }

  private static PublicKey publicKey(String k, byte[] bytes) {
    try {
      if (k.equals("rsa")) {
        // §3.6.1: p= holds an RSAPublicKey in a SubjectPublicKeyInfo (what openssl and dkimpy publish).
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(bytes));
        if (((RSAPublicKey) key).getModulus().bitLength() < MIN_RSA_BITS) {
          throw DkimException.perm("RSA key shorter than " + MIN_RSA_BITS + " bits (RFC 8301)");
        }
        return key;
      }
      if (k.equals("ed25519")) {
        return Ed25519Keys.publicKey(bytes);
      }
    } catch (GeneralSecurityException | ClassCastException e) {
      throw DkimException.perm("key record: unusable " + k + " key");
    }
    throw DkimException.perm("key record: unknown key type k=" + DkimTags.printable(k));
  }

  /** Whether this key can check a signature of {@code algorithm} (§6.1.2: k= must match a=). */
  boolean suits(DkimKey.Algorithm algorithm) {
    return algorithm == DkimKey.Algorithm.RSA_SHA256 ? keyType.equals("rsa") : keyType.equals("ed25519");
  }
}
