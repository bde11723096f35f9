package io.hermod.dkim;

import io.hermod.config.ConfigException;
import io.hermod.config.DkimConfig;
import io.hermod.config.FileStamp;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * The signing keys in force: loaded at start, loaded again when the configuration names other keys or a key
 * file changes (a key rotation: the new selector's key is published in DNS, then the file and selector
 * change here). A key set that fails to load leaves the running one in place. Thread-safe: listeners read
 * {@link #current()} at each message.
 */
public final class DkimKeyring {

  private static final Logger LOG = Logger.getLogger(DkimKeyring.class.getName());

  private volatile DkimKeys keys;
  private volatile DkimConfig config;
  private volatile FileStamp stamp;

  private DkimKeyring(DkimKeys keys, DkimConfig config, FileStamp stamp) {
    this.keys = keys;
    this.config = config;
    this.stamp = stamp;
  }

  /** Loads every configured key; blocking; a bad key fails (at start: Hermod does not start). */
  public static DkimKeyring load(DkimConfig config) {
    return new DkimKeyring(DkimKeys.load(config), config, stampOf(config));
  }

  /** Keys that never change (tests). */
  public static DkimKeyring of(DkimKeys keys) {
    return new DkimKeyring(keys, null, null);
  }

  public DkimKeys current() {
    return keys;
  }

  /** Reloads when {@code next} differs from the loaded configuration or a key file changed. Blocking. */
  public boolean refresh(DkimConfig next) {
    try {
      FileStamp now = stampOf(next);
      if (next.equals(config) && now.equals(stamp)) {
        return false;
      }
      keys = DkimKeys.load(next);
      config = next;
      stamp = now;
    } catch (ConfigException | UncheckedIOException | IllegalArgumentException e) {
      LOG.warning("dkim: keeping the current signing keys: " + e.getMessage());
      return false;
    }
    LOG.info("dkim: signing keys loaded for " + next.keys().size() + " domain(s)");
    return true;
  }

  private static FileStamp stampOf(DkimConfig config) {
    return FileStamp.of(config.keys().stream().map(k -> Path.of(k.privateKeyFile())).toArray(Path[]::new));
  }
}
