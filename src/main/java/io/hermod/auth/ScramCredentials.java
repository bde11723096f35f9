package io.hermod.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the server needs for SCRAM-SHA-256 (RFC 5802 §3, RFC 7677): salt, iteration count, StoredKey and
 * ServerKey. Our stored hash is PBKDF2-HMAC-SHA-256 with a 32-byte output, which is exactly SCRAM's
 * SaltedPassword = Hi(password, salt, i), so these come from the user file without any plaintext.
 *
 * @param user the user these belong to, or null for decoy credentials (an unknown name)
 */
public record ScramCredentials(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey,
                               AuthenticatedUser user) {

  static final int KEY_BYTES = 32; // SHA-256 output length

  /**
   * From a stored hash; null when the hash is not 32 bytes long (then it is not a SCRAM-SHA-256
   * SaltedPassword, and the user cannot use SCRAM).
   */
  static ScramCredentials of(PasswordHash hash, AuthenticatedUser user) {
    byte[] saltedPassword = hash.hash();
    if (saltedPassword.length != KEY_BYTES) {
      return null;
    }
    byte[] clientKey = hmac(saltedPassword, "Client Key");
    return new ScramCredentials(hash.iterations(), hash.salt(), sha256(clientKey),
        hmac(saltedPassword, "Server Key"), user);
  }

  /**
   * For a name that is not a user: a salt derived from the name with a server secret (the same name always
   * gets the same salt, as a real user would, so the salt does not tell that the name is unknown), the
   * default iteration count, and random keys that no proof matches.
   */
  static ScramCredentials decoy(String name, byte[] secret, SecureRandom random) {
    byte[] salt = Arrays.copyOf(hmac(secret, "scram-decoy-salt\0" + name), PasswordHash.SALT_BYTES);
    byte[] storedKey = new byte[KEY_BYTES];
    byte[] serverKey = new byte[KEY_BYTES];
    random.nextBytes(storedKey);
    random.nextBytes(serverKey);
    return new ScramCredentials(PasswordHash.DEFAULT_ITERATIONS, salt, storedKey, serverKey, null);
  }

  static byte[] hmac(byte[] key, String text) {
    return hmac(key, text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  @Override
  public String toString() {
    return "ScramCredentials[i=" + iterations + ", user=" + (user == null ? "(decoy)" : user.name()) + "]";
  }
}
