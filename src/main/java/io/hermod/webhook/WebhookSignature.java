package io.hermod.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook POST (docs/events.md "Verifying a POST"): HMAC-SHA256 with the endpoint's secret
 * over {@code <timestamp>.<body>}, where the timestamp is the {@code X-Hermod-Timestamp} header (Unix seconds)
 * and the body the exact bytes received; sent as {@code X-Hermod-Signature: v1=<lowercase hex>}. Signing the
 * timestamp too lets a receiver refuse an old POST replayed by someone who captured it (the scheme Stripe and
 * Svix use). The "v1=" prefix leaves room for a second scheme or a rotated secret later.
 */
public final class WebhookSignature {

  public static final String TIMESTAMP_HEADER = "X-Hermod-Timestamp";
  public static final String SIGNATURE_HEADER = "X-Hermod-Signature";
  static final String SCHEME = "v1=";
  private static final String HMAC = "HmacSHA256";

  private final SecretKeySpec key;

  public WebhookSignature(byte[] secret) {
    if (secret.length == 0) {
      throw new IllegalArgumentException("empty webhook secret");
    }
    this.key = new SecretKeySpec(secret, HMAC);
  }

  /** The {@code X-Hermod-Signature} value of {@code body} sent at {@code timestampSeconds}. */
  public String sign(long timestampSeconds, byte[] body) {
    return SCHEME + HexFormat.of().formatHex(mac(timestampSeconds, body));
  }

  /**
   * Whether {@code signatureHeader} is a valid signature of {@code body} at {@code timestampSeconds}; compared in
   * constant time. A receiver also checks that the timestamp is recent (e.g. within 5 minutes).
   */
  public boolean verify(long timestampSeconds, byte[] body, String signatureHeader) {
    if (signatureHeader == null || !signatureHeader.startsWith(SCHEME)) {
      return false;
    }
    byte[] given;
    try {
      given = HexFormat.of().parseHex(signatureHeader.substring(SCHEME.length()));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(mac(timestampSeconds, body), given);
  }

  private byte[] mac(long timestampSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      mac.update((timestampSeconds + ".").getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is required of every Java runtime", e);
    }
  }
}
