package io.hermod.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Successful PLAIN and LOGIN verifications, remembered so that a returning user costs one HMAC instead of a
 * PBKDF2 run (Dovecot's auth_cache_size and auth_cache_ttl). Bounded ({@code maxEntries}, least recently used
 * dropped first) and timed ({@code ttl} from the verification; a hit does not extend it).
 *
 * <ul>
 *   <li>Keyed by the user name and HMAC-SHA-256(user NUL password) under a key drawn from {@link SecureRandom}
 *       when the process starts and never stored: the cache holds no password and nothing that can be tested
 *       against guesses offline (a memory dump without the key is worthless; with it, a guess costs one HMAC, as
 *       it would against any fast hash, which is why entries expire).</li>
 *   <li>Only successes are stored. A wrong password always runs PBKDF2 and goes through the brute-force
 *       throttle and its delay; a wrong password for a cached user is a miss, never a hit.</li>
 *   <li>An entry remembers the user's line (hash and sender domains) it was verified against and is used only
 *       while the store has that same line: a changed password, a changed domain list or a removed user makes
 *       it a miss at once, whenever the store has reloaded the file.</li>
 * </ul>
 * Thread-safe (event loops look up, auth workers remember): one lock around a small map.
 */
public final class LoginCache {

  private record Key(String user, String digest) {
  }

  private record Verified(UserFile.Entry entry, AuthenticatedUser user, long expiresAt) {
  }

  private final int maxEntries;
  private final long ttlNanos;
  private final LongSupplier nanoTime;
  private final SecretKeySpec key;
  private final Map<Key, Verified> entries;

  /**
   * @param maxEntries most entries; 0 turns the cache off (every login runs PBKDF2)
   */
  public LoginCache(int maxEntries, long ttlNanos, LongSupplier nanoTime, SecureRandom random) {
    this.maxEntries = maxEntries;
    this.ttlNanos = ttlNanos;
    this.nanoTime = nanoTime;
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    this.key = new SecretKeySpec(secret, "HmacSHA256");
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, Verified> eldest) {
        return size() > maxEntries;
      }
    };
  }

  public boolean enabled() {
    return maxEntries > 0;
  }

  /**
   * The user a matching, unexpired verification found, if {@code current} (the user's line in the store now,
   * null for an unknown user) is the line it was verified against; else null (a miss).
   */
  public AuthenticatedUser lookup(String user, String password, UserFile.Entry current) {
    if (!enabled() || current == null) {
      return null;
    }
    Key k = new Key(user, digest(user, password));
    long now = nanoTime.getAsLong();
    synchronized (entries) {
      Verified v = entries.get(k);
      if (v == null) {
        return null;
      }
      if (now - v.expiresAt >= 0 || !v.entry.equals(current)) {
        entries.remove(k);
        return null;
      }
      return v.user;
    }
  }

  /** Remembers a successful verification of {@code password} against {@code entry}. */
  public void remember(String user, String password, UserFile.Entry entry, AuthenticatedUser verified) {
    if (!enabled()) {
      return;
    }
    Key k = new Key(user, digest(user, password));
    Verified v = new Verified(entry, verified, nanoTime.getAsLong() + ttlNanos);
    synchronized (entries) {
      entries.put(k, v);
    }
  }

  /** Entries held (expired ones included until they are looked up or pushed out). */
  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  private String digest(String user, String password) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(user.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return Base64.getEncoder().encodeToString(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
