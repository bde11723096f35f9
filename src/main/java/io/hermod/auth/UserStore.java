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
 * The users of the user file, reloaded when the file changes (modification time or size), checked at most
 * once per interval. Blocking (file reads, PBKDF2): use it from worker threads only.
 */
public final class UserStore {

  private static final Logger LOG = Logger.getLogger(UserStore.class.getName());

  private final Path file;
  private final long checkIntervalNanos;
  private final LongSupplier nanoTime;
  private final PasswordHash decoy;

  private Map<String, PasswordHash> users = Map.of();
  private Object stamp;        // what the file looked like at the last load (null: never loaded)
  private long lastCheck;
  private boolean checkedOnce;

  public UserStore(Path file, Duration checkInterval, LongSupplier nanoTime, SecureRandom random) {
    this.file = file;
    this.checkIntervalNanos = checkInterval.toNanos();
    this.nanoTime = nanoTime;
    this.decoy = PasswordHash.decoy(random);
  }

  /**
   * True when the user exists and the password matches. An unknown user costs one PBKDF2 run as well, so
   * the time taken does not tell whether the name exists.
   */
  public boolean verify(String user, String password) {
    PasswordHash hash = current().get(user);
    boolean matches = (hash != null ? hash : decoy).matches(password);
    return hash != null && matches;
  }

  /** Number of users right now (after a reload check). */
  public int size() {
    return current().size();
  }

  private synchronized Map<String, PasswordHash> current() {
    long now = nanoTime.getAsLong();
    if (checkedOnce && now - lastCheck < checkIntervalNanos) {
      return users;
    }
    checkedOnce = true;
    lastCheck = now;
    Object seen = stampOf(file);
    if (stamp != null && Objects.equals(seen, stamp)) {
      return users;
    }
    try {
      UserFile.Contents contents = UserFile.read(file);
      contents.problems().forEach(LOG::warning);
      users = Map.copyOf(contents.users());
      stamp = seen;
      LOG.info("users file " + file + ": " + users.size() + " user(s)");
    } catch (IOException e) {
      // Keep the users we had: a file being replaced or unreadable for a moment must not lock everyone out.
      LOG.warning("users file " + file + ": cannot read (" + e + "); keeping " + users.size() + " user(s)");
    }
    return users;
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
