package io.hermod.dkim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * A loaded signing key for one domain.
 *
 * @param domain    d=, lower case
 * @param selector  s=
 * @param algorithm rsa-sha256 or ed25519-sha256
 * @param key       the private key
 * @param headers   header field names to sign
 */
public record DkimKey(String domain, String selector, Algorithm algorithm, PrivateKey key, List<String> headers) {

  public DkimKey {
    headers = List.copyOf(headers);
  }

  public enum Algorithm {
    /** RFC 6376 §3.3.1. */
    RSA_SHA256("rsa-sha256", "SHA256withRSA"),
    /** RFC 8463 §3: PureEdDSA over the SHA-256 hash of the signed data. */
    ED25519_SHA256("ed25519-sha256", "Ed25519");

    final String tag;
    final String jca;

    Algorithm(String tag, String jca) {
      this.tag = tag;
      this.jca = jca;
    }
  }

  /** Reads a PEM "PRIVATE KEY" (PKCS#8) file holding an RSA or Ed25519 key. Blocking: call at start. */
  public static DkimKey load(String domain, String selector, Path pemFile, List<String> headers) throws IOException {
    String pem = Files.readString(pemFile, StandardCharsets.US_ASCII);
    int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = pem.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new IOException(pemFile + ": not a PEM PKCS#8 private key (\"BEGIN PRIVATE KEY\")");
    }
    String base64 = pem.substring(begin + 27, end).replaceAll("\\s", "");
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64));
    for (Algorithm a : Algorithm.values()) {
      try {
        PrivateKey key = KeyFactory.getInstance(a == Algorithm.RSA_SHA256 ? "RSA" : "Ed25519").generatePrivate(spec);
        return new DkimKey(domain, selector, a, key, headers);
      } catch (GeneralSecurityException e) {
        // not this algorithm: try the next
      }
    }
    throw new IOException(pemFile + ": neither an RSA nor an Ed25519 private key");
  }
}
