package io.hermod.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * The users of the user file, reloaded when the file changes (modification time, size or inode: {@code hermod
 * user} replaces the file by a rename), checked at most once per interval. Blocking (file reads, PBKDF2): use it
 * from worker threads only, except {@link #usersIfFresh}.
 */
public final class UserStore {

  private static final Logger LOG = Logger.getLogger(UserStore.class.getName());

  private final Path file;
  private final long checkIntervalNanos;
  private final LongSupplier nanoTime;
  private final PasswordHash decoy;
  private final SecureRandom random;
  private final byte[] decoySecret = new byte[32]; // SCRAM decoy salts; new at each start

  // Written under the lock, read without it by usersIfFresh: users is published before lastCheck/checkedOnce.
  private volatile Map<String, UserFile.Entry> users = Map.of();
  private volatile long lastCheck;
  private volatile boolean checkedOnce;
  private Object stamp;        // what the file looked like at the last load (null: never loaded)

  public UserStore(Path file, Duration checkInterval, LongSupplier nanoTime, SecureRandom random) {
    this.file = file;
    this.checkIntervalNanos = checkInterval.toNanos();
    this.nanoTime = nanoTime;
    this.decoy = PasswordHash.decoy(random);
    this.random = random;
    random.nextBytes(decoySecret);
  }

  /** True when the user exists and the password matches (see {@link #authenticate}). */
  public boolean verify(String user, String password) {
    return authenticate(user, password) != null;
  }

  /**
   * The user, with its sender domains, when it exists and the password matches; else null. An unknown user
   * costs one PBKDF2 run as well, so the time taken does not tell whether the name exists.
   */
  public AuthenticatedUser authenticate(String user, String password) {
    return authenticate(user, entry(user), password);
  }

  /** {@link #authenticate} against an entry already looked up with {@link #entry} (null: unknown user). */
  public AuthenticatedUser authenticate(String user, UserFile.Entry entry, String password) {
    boolean matches = (entry != null ? entry.hash() : decoy).matches(password);
    return entry != null && matches ? AuthenticatedUser.of(user, entry.domains()) : null;
  }

  /** The user's line as the store has it now (after a reload check), or null for an unknown name. */
  public UserFile.Entry entry(String user) {
    return current().get(user);
  }

  /**
   * The users, without blocking, when no reload check is due (the file was checked less than the check
   * interval ago); null when one is due (never with an interval of 0): then ask {@link #entry} on a worker.
   * The answer is exactly what {@link #entry} would use now.
   */
  public Map<String, UserFile.Entry> usersIfFresh() {
    long now = nanoTime.getAsLong();
    return checkedOnce && now - lastCheck < checkIntervalNanos ? users : null;
  }

  /**
   * SCRAM-SHA-256 credentials derived from the user's stored hash (no PBKDF2 run: cheap); for an unknown
   * name, or a hash that cannot serve SCRAM, decoys with a salt derived from the name (see
   * {@link ScramCredentials#decoy}).
   */
  public ScramCredentials scramCredentials(String user) {
    UserFile.Entry entry = current().get(user);
    ScramCredentials real = entry == null ? null
        : ScramCredentials.of(entry.hash(), AuthenticatedUser.of(user, entry.domains()));
    return real != null ? real : ScramCredentials.decoy(user, decoySecret, random);
  }

  /** Number of users right now (after a reload check). */
  public int size() {
    return current().size();
  }

  private synchronized Map<String, UserFile.Entry> current() {
    long now = nanoTime.getAsLong();
    if (checkedOnce && now - lastCheck < checkIntervalNanos) {
      return users;
    }
    Object seen = stampOf(file);
    if (stamp == null || !Objects.equals(seen, stamp)) {
      load(seen);
    }
    lastCheck = now; // after users: a reader that sees this check also sees what it loaded
    checkedOnce = true;
    return users;
  }

  private void load(Object seen) {
    try {
      UserFile.Contents contents = UserFile.read(file);
      contents.problems().forEach(LOG::warning);
      users = Map.copyOf(contents.entries());
      stamp = seen;
      LOG.info("users file " + file + ": " + users.size() + " user(s)");
    } catch (IOException e) {
      // Keep the users we had: a file being replaced or unreadable for a moment must not lock everyone out.
      LOG.warning("users file " + file + ": cannot read (" + e + "); keeping " + users.size() + " user(s)");
    }
  }

  /** Modification time and size, or "absent". */
  private static Object stampOf(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return a.lastModifiedTime().toMillis() + "/" + a.size() + "/" + a.fileKey();
    } catch (NoSuchFileException e) {
      return "absent";
    } catch (IOException e) {
      return "unreadable";
    }
  }
}
