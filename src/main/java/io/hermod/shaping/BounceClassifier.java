package io.hermod.shaping;

import io.hermod.config.ConfigException;
import io.hermod.config.FileStamp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The bounce classification in force: the operator's rules ({@code shaping.bounceRulesFile}, tried first)
 * followed by the shipped ones (docs/delivery.md "Bounce classification"). One per Hermod, shared by the
 * router (events) and the delivery verticles (log lines); thread-safe. Loaded at start, where a bad file stops
 * Hermod with one {@code config: shaping.bounceRulesFile: ...} line; loaded again when the configuration names
 * another file or the file changes, where a bad file leaves the running rules in place with a WARNING.
 */
public final class BounceClassifier {

  /** The configuration key of the operator's rule file. */
  public static final String KEY = "shaping.bounceRulesFile";
  /** Distinct replies remembered with their class: a dead site's deferrals repeat one text thousands of times. */
  static final int CACHE_SIZE = 1024;

  private static final Logger LOG = Logger.getLogger(BounceClassifier.class.getName());

  private volatile Loaded loaded;

  /** Rules with the file they came from (null: the shipped ones only) and its stamp, and their own cache. */
  private record Loaded(BounceRules rules, String file, FileStamp stamp, Map<BounceRules.Reply, BounceClass> cache) {
    Loaded(BounceRules rules, String file, FileStamp stamp) {
      this(rules, file, stamp, new ConcurrentHashMap<>());
    }
  }

  private BounceClassifier(Loaded loaded) {
    this.loaded = loaded;
  }

  /** The shipped rules only (no operator file). */
  public static BounceClassifier shipped() {
    return new BounceClassifier(new Loaded(BounceRules.shipped(), null, null));
  }

  /** Fixed rules (tests). */
  public static BounceClassifier of(BounceRules rules) {
    return new BounceClassifier(new Loaded(rules, null, null));
  }

  /**
   * The operator's rules from {@code file} (null = none) before the shipped ones. Blocking; call at start.
   *
   * @throws ConfigException naming {@link #KEY}, the file and what is wrong in it
   */
  public static BounceClassifier load(String file) {
    return new BounceClassifier(read(file));
  }

  /**
   * Loads the rules again when {@code file} is another one or its content changed; a file that cannot be read or
   * parsed keeps the running rules (logged). Blocking. True when new rules are in force.
   */
  public boolean refresh(String file) {
    Loaded running = loaded;
    try {
      FileStamp stamp = file == null ? null : FileStamp.of(Path.of(file));
      if (Objects.equals(file, running.file()) && Objects.equals(stamp, running.stamp())) {
        return false;
      }
      loaded = read(file);
    } catch (ConfigException e) {
      LOG.warning("bounce classification: keeping the running rules: " + e.getMessage());
      return false;
    }
    LOG.info("bounce classification: " + (file == null ? "the shipped rules only" : "the rules of " + file
        + " before the shipped rules") + " now in force");
    return true;
  }

  /** The class of a deferral or failure: reply code, RFC 3463 status (may be null or malformed), text. */
  public BounceClass classify(int code, String status, String text) {
    Loaded now = loaded;
    BounceRules.Reply reply = BounceRules.Reply.of(code, status, text);
    BounceClass known = now.cache().get(reply);
    if (known != null) {
      return known;
    }
    BounceClass found = now.rules().classify(reply);
    if (now.cache().size() >= CACHE_SIZE) {
      now.cache().clear(); // crude but bounded; the repeating texts come back at once
    }
    now.cache().put(reply, found);
    return found;
  }

  private static Loaded read(String file) {
    if (file == null) {
      return new Loaded(BounceRules.shipped(), null, null);
    }
    Path path = Path.of(file);
    if (!Files.isRegularFile(path)) {
      throw new ConfigException(KEY, "cannot read " + file + (Files.exists(path) ? " (not a file)" : " (no such file)"));
    }
    try {
      FileStamp stamp = FileStamp.of(path); // before reading: a change in between shows at the next refresh
      BounceRules operator = BounceRules.parse(Files.readString(path, StandardCharsets.UTF_8));
      return new Loaded(operator.then(BounceRules.shipped()), file, stamp);
    } catch (ConfigException e) {
      throw new ConfigException(KEY, e.problem());
    } catch (IOException e) {
      throw new ConfigException(KEY, "cannot read " + file + ": " + e);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(KEY, file + ": " + e.getMessage());
    }
  }
}
