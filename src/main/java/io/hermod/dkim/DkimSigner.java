package io.hermod.dkim;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Builds a DKIM-Signature header field (RFC 6376 §3.5, §5) from the header fields and the body hash. */
public final class DkimSigner {

  private DkimSigner() {
  }

  /** The complete field, folded, ending in CRLF. */
  public static String sign(DkimKey key, List<HeaderField> fields, byte[] bodyHash, Instant now) {
    List<HeaderField> signed = selected(key.headers(), fields);
    StringBuilder h = new StringBuilder();
    for (HeaderField f : signed) {
      h.append(h.length() == 0 ? "" : ":").append(f.name().strip());
    }
    String unsigned = "DKIM-Signature: v=1; a=" + key.algorithm().tag + "; c=relaxed/relaxed; d=" + key.domain()
        + "; s=" + key.selector() + ";\r\n\tt=" + now.getEpochSecond() + "; h=" + h
        + ";\r\n\tbh=" + Base64.getEncoder().encodeToString(bodyHash) + ";\r\n\tb=";
    // RFC 6376 §3.7: the signed fields in h= order, then this field with an empty b= and no trailing CRLF.
    StringBuilder data = new StringBuilder();
    signed.forEach(f -> data.append(f.relaxed()));
    String self = new HeaderField("DKIM-Signature", unsigned).relaxed();
    data.append(self, 0, self.length() - 2);
    String b = Base64.getEncoder().encodeToString(signature(key, data.toString().getBytes(StandardCharsets.ISO_8859_1)));
    return unsigned + fold(b) + "\r\n";
  }

  /**
   * RFC 6376 §5.4.2: each listed name as many times as it occurs, the last occurrence first. A name that
   * does not occur is not listed.
   */
  static List<HeaderField> selected(List<String> names, List<HeaderField> fields) {
    List<HeaderField> out = new ArrayList<>();
    for (String name : names) {
      for (int i = fields.size() - 1; i >= 0; i--) {
        if (fields.get(i).name().strip().equalsIgnoreCase(name)) {
          out.add(fields.get(i));
        }
      }
    }
    return out;
  }

  private static byte[] signature(DkimKey key, byte[] data) {
    try {
      Signature s = Signature.getInstance(key.algorithm().jca);
      s.initSign(key.key());
      // RFC 8463 §3: Ed25519 signs the SHA-256 hash of the data; RSA's SHA256withRSA hashes it itself.
      s.update(key.algorithm() == DkimKey.Algorithm.ED25519_SHA256
          ? MessageDigest.getInstance("SHA-256").digest(data) : data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("DKIM signing failed for " + key.domain(), e);
    }
  }

  /** Breaks a long base64 value into lines of at most 72 characters (any WSP in b= is ignored, §3.5). */
  private static String fold(String value) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length(); i += 72) {
      out.append(i == 0 ? "" : "\r\n\t ").append(value, i, Math.min(value.length(), i + 72));
    }
    return out.toString();
  }
}
