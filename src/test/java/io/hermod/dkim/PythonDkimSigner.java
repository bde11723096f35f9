package io.hermod.dkim;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * An independent DKIM signer: Debian's python3-dkim (dkimpy) {@code dkim.sign()}, for RSA (PKCS#8 PEM) and
 * Ed25519 (python3-nacl) keys made in Java. Returns the DKIM-Signature field it made, with CRLF.
 */
final class PythonDkimSigner {

  private static final String SCRIPT = String.join("\n",
      "import sys, dkim",
      "msg = open(sys.argv[1], 'rb').read()",
      "key = open(sys.argv[2], 'rb').read()",
      "c = sys.argv[5].encode().split(b'/')",
      "sig = dkim.sign(msg, sys.argv[3].encode(), sys.argv[4].encode(), key, canonicalize=(c[0], c[1]),",
      "                signature_algorithm=sys.argv[6].encode(), length=sys.argv[7] == 'l',",
      "                include_headers=sys.argv[8].encode().split(b','))",
      "sys.stdout.buffer.write(sig)");

  private PythonDkimSigner() {
  }

  /**
   * @param canonicalization e.g. "relaxed/simple"
   * @param withLength       add l= (the body length)
   */
  static String sign(Path dir, String message, KeyPair pair, String selector, String domain,
                     String canonicalization, boolean withLength) throws Exception {
    return sign(dir, message, pair, selector, domain, canonicalization, withLength, "from,to,subject");
  }

  /** @param headers the fields to sign (h=), lower case, comma-separated */
  static String sign(Path dir, String message, KeyPair pair, String selector, String domain,
                     String canonicalization, boolean withLength, String headers) throws Exception {
    boolean ed25519 = pair.getPrivate().getAlgorithm().equals("Ed25519")
        || pair.getPrivate().getAlgorithm().equals("EdDSA");
    Path msg = Files.writeString(dir.resolve("to-sign.eml"), message, StandardCharsets.ISO_8859_1);
    Path key = Files.writeString(dir.resolve("signing.key"), ed25519 ? ed25519Seed(pair) : pem(pair));
    Process p = new ProcessBuilder("/usr/bin/python3", "-c", SCRIPT, msg.toString(), key.toString(), selector, domain,
        canonicalization, ed25519 ? "ed25519-sha256" : "rsa-sha256", withLength ? "l" : "-", headers)
        .redirectErrorStream(true).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("python3 dkim sign timed out");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    if (p.exitValue() != 0 || !out.startsWith("DKIM-Signature:")) {
      throw new IllegalStateException("python3 dkim sign failed: " + out);
    }
    return out.replaceAll("\r?\n", "\r\n");
  }

  /** The key record to publish for {@code pair} (RFC 6376 §3.6.1; RFC 8463 §4.2 for Ed25519: raw 32 bytes). */
  static String keyRecord(KeyPair pair) {
    byte[] spki = pair.getPublic().getEncoded();
    boolean rsa = pair.getPublic().getAlgorithm().equals("RSA");
    byte[] p = rsa ? spki : Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    return "v=DKIM1; k=" + (rsa ? "rsa" : "ed25519") + "; p=" + Base64.getEncoder().encodeToString(p);
  }

  private static String pem(KeyPair pair) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  /** dkimpy takes an Ed25519 key as the base64 of its 32-byte seed: the last 32 bytes of the PKCS#8 form. */
  private static String ed25519Seed(KeyPair pair) {
    byte[] pkcs8 = pair.getPrivate().getEncoded();
    return Base64.getEncoder().encodeToString(Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length));
  }
}
