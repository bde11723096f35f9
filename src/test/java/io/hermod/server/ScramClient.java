package io.hermod.server;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The client side of SCRAM-SHA-256 (RFC 5802 §3, RFC 7677) for the tests, written from the RFC with the JDK's
 * PBKDF2/HMAC/SHA-256 (no SCRAM client is packaged in Debian for Python or Perl). No channel binding ("n,,").
 */
final class ScramClient {

  private final String user;
  private final String password;
  private final String clientNonce;
  private String serverFirst;
  private String expectedServerSignature;

  ScramClient(String user, String password, String clientNonce) {
    this.user = user;
    this.password = password;
    this.clientNonce = clientNonce;
  }

  String clientFirstBare() {
    return "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
  }

  String clientFirst() {
    return "n,," + clientFirstBare();
  }

  /** The attributes of the server-first message (r, s, i). */
  static Map<String, String> attributes(String message) {
    Map<String, String> out = new HashMap<>();
    for (String field : message.split(",")) {
      out.put(field.substring(0, 1), field.substring(2));
    }
    return out;
  }

  String clientFinal(String serverFirstMessage) throws Exception {
    serverFirst = serverFirstMessage;
    Map<String, String> a = attributes(serverFirstMessage);
    if (!a.get("r").startsWith(clientNonce)) {
      throw new IllegalStateException("server nonce does not extend ours: " + serverFirstMessage);
    }
    byte[] salt = Base64.getDecoder().decode(a.get("s"));
    byte[] saltedPassword = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
        .generateSecret(new PBEKeySpec(password.toCharArray(), salt, Integer.parseInt(a.get("i")), 256)).getEncoded();
    byte[] clientKey = hmac(saltedPassword, "Client Key");
    byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
    String withoutProof = "c=biws,r=" + a.get("r");
    String authMessage = clientFirstBare() + "," + serverFirst + "," + withoutProof;
    byte[] signature = hmac(storedKey, authMessage);
    byte[] proof = new byte[clientKey.length];
    for (int i = 0; i < proof.length; i++) {
      proof[i] = (byte) (clientKey[i] ^ signature[i]);
    }
    expectedServerSignature = "v=" + Base64.getEncoder().encodeToString(hmac(hmac(saltedPassword, "Server Key"), authMessage));
    return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
  }

  /** The server-final message that proves the server knows our credentials (RFC 5802 §3). */
  String expectedServerFinal() {
    return expectedServerSignature;
  }

  static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  private static byte[] hmac(byte[] key, String text) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
  }
}
