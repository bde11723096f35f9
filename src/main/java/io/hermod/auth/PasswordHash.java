package io.hermod.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A stored password: {@code $pbkdf2-sha256$ITERATIONS$SALT$HASH}, PBKDF2 with HMAC-SHA-256 (RFC 8018 §5.2)
 * from the JDK, salt and hash in base64 without padding. 210,000 iterations is OWASP's 2023 floor for
 * PBKDF2-HMAC-SHA256; the salt is 16 random bytes, the hash 32 bytes.
 */
public final class PasswordHash {

  public static final int DEFAULT_ITERATIONS = 210_000;
  static final String PREFIX = "$pbkdf2-sha256$";
  static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final int MAX_ITERATIONS = 10_000_000; // a typo in the file must not stall a worker for hours

  private final int iterations;
  private final byte[] salt;
  private final byte[] hash;

  private PasswordHash(int iterations, byte[] salt, byte[] hash) {
    this.iterations = iterations;
    this.salt = salt;
    this.hash = hash;
  }

  public static PasswordHash create(String password, SecureRandom random) {
    return create(password, random, DEFAULT_ITERATIONS);
  }

  static PasswordHash create(String password, SecureRandom random, int iterations) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    return new PasswordHash(iterations, salt, pbkdf2(password, salt, iterations, HASH_BYTES));
  }

  /** @throws IllegalArgumentException when the text is not in the format above */
  public static PasswordHash parse(String text) {
    if (!text.startsWith(PREFIX)) {
      throw new IllegalArgumentException("does not start with " + PREFIX);
    }
    String[] parts = text.substring(PREFIX.length()).split("\\$", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("expected $pbkdf2-sha256$iterations$salt$hash");
    }
    int iterations;
    try {
      iterations = Integer.parseInt(parts[0]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("iterations is not a number");
    }
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException("iterations out of range 1.." + MAX_ITERATIONS);
    }
    Base64.Decoder b64 = Base64.getDecoder();
    byte[] salt = b64.decode(parts[1]); // IllegalArgumentException on bad base64
    byte[] hash = b64.decode(parts[2]);
    if (salt.length < 8 || hash.length < 16) {
      throw new IllegalArgumentException("salt or hash too short");
    }
    return new PasswordHash(iterations, salt, hash);
  }

  public String encode() {
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return PREFIX + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
  }

  /** Slow on purpose (PBKDF2): call off the event loop. Compares in constant time. */
  public boolean matches(String password) {
    return MessageDigest.isEqual(hash, pbkdf2(password, salt, iterations, hash.length));
  }

  int iterations() {
    return iterations;
  }

  byte[] salt() {
    return salt.clone();
  }

  /** The PBKDF2 output; with 32 bytes it is SCRAM-SHA-256's SaltedPassword (see {@link ScramCredentials}). */
  byte[] hash() {
    return hash.clone();
  }

  private static byte[] pbkdf2(String password, byte[] salt, int iterations, int bytes) {
    // PBEKeySpec takes chars; PBKDF2WithHmacSHA256 encodes them as UTF-8 (JDK's PBKDF2KeyImpl).
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, bytes * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
    } finally {
      spec.clearPassword();
    }
  }

  @Override
  public String toString() {
    return PREFIX + iterations + "$...";
  }

  /** The same stored hash: iterations, salt and hash (a user's line unchanged, for the login cache). */
  @Override
  public boolean equals(Object o) {
    return o instanceof PasswordHash p && iterations == p.iterations && Arrays.equals(salt, p.salt)
        && Arrays.equals(hash, p.hash);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * iterations + Arrays.hashCode(salt)) + Arrays.hashCode(hash);
  }

  /** For the unknown-user path: a hash nobody's password matches, costing the same work. */
  static PasswordHash decoy(SecureRandom random) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] hash = new byte[HASH_BYTES];
    random.nextBytes(hash);
    return new PasswordHash(DEFAULT_ITERATIONS, salt, hash);
  }
}
