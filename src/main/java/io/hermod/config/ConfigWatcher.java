package io.hermod.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Hot reload of the configuration file: Vert.x Config re-reads the file every {@code configReloadSeconds}
 * and reports a change; the new file is layered under the same environment, system properties and flags
 * as at start, validated like at start, and handed on only when valid. An invalid file is refused with one
 * logged line naming the key, and the running configuration stays.
 */
public final class ConfigWatcher {

  private static final Logger LOG = Logger.getLogger(ConfigWatcher.class.getName());
  /**
   * Vert.x Config logs every failed scan with a stack trace (every few seconds while a file stays broken);
   * we log each distinct problem once, in one line, instead. Held here so the level is not garbage collected.
   */
  private static final Logger RETRIEVER_LOG = Logger.getLogger("io.vertx.config.impl.ConfigRetrieverImpl");

  private final ConfigRetriever retriever;
  private final String path;
  private final Map<String, String> flags;
  private final Consumer<HermodConfig> onValid;
  private String lastError;

  private ConfigWatcher(Vertx vertx, String path, Map<String, String> flags, long scanMillis,
                        Consumer<HermodConfig> onValid) {
    this.path = path;
    this.flags = Map.copyOf(flags);
    this.onValid = onValid;
    this.retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions().setScanPeriod(scanMillis)
        .addStore(new ConfigStoreOptions().setType("file").setFormat("json")
            .setConfig(new JsonObject().put("path", path))));
  }

  /**
   * Watches {@code path} (the file the running configuration came from; {@code flags} as given to
   * {@link ConfigLoader#load(Vertx, String, Map)}) and calls {@code onValid} with each valid new
   * configuration, on a Vert.x event loop (the first time with the file as it is now, which is usually
   * the running configuration again). Returns null when {@code scanSeconds} is 0 (reload off).
   */
  public static ConfigWatcher start(Vertx vertx, String path, Map<String, String> flags, int scanSeconds,
                                    Consumer<HermodConfig> onValid) {
    if (scanSeconds <= 0) {
      return null;
    }
    RETRIEVER_LOG.setLevel(java.util.logging.Level.OFF);
    ConfigWatcher watcher = new ConfigWatcher(vertx, path, flags, scanSeconds * 1000L, onValid);
    watcher.retriever.configStream().exceptionHandler(watcher::unreadable);
    // The first read sets the retriever's baseline. It goes through too: the file may have changed since the
    // running configuration was read from it, and the receiver compares with what runs (no change: no-op).
    watcher.retriever.getConfig().onComplete(first -> {
      if (first.succeeded()) {
        watcher.changed(first.result());
      }
      watcher.retriever.listen(c -> watcher.changed(c.getNewConfiguration()));
    });
    return watcher;
  }

  private void changed(JsonObject file) {
    HermodConfig next;
    try {
      next = ConfigLoader.fromSources(file, System.getenv(), systemProperties(), flags);
    } catch (ConfigException e) {
      refuse(e.getMessage());
      return;
    }
    lastError = null;
    onValid.accept(next);
  }

  private void unreadable(Throwable e) {
    refuse("file " + path + ": " + ConfigLoader.reason(e));
  }

  /** Logged once per distinct problem: the file is re-read every scan until someone fixes it. */
  private void refuse(String problem) {
    if (!problem.equals(lastError)) {
      lastError = problem;
      LOG.severe("configuration reload refused, the running configuration stays: " + problem);
    }
  }

  private static Map<String, String> systemProperties() {
    Properties p = System.getProperties();
    Map<String, String> out = new HashMap<>();
    for (String name : p.stringPropertyNames()) {
      out.put(name, p.getProperty(name));
    }
    return out;
  }

  public void close() {
    retriever.close();
  }
}
