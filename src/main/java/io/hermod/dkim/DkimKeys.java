package io.hermod.dkim;

import io.hermod.config.DkimConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The signing keys by domain. Immutable; shared by every listener. */
public final class DkimKeys {

  private final Map<String, DkimKey> byDomain = new HashMap<>();

  public DkimKeys(List<DkimKey> keys) {
    keys.forEach(k -> byDomain.put(k.domain().toLowerCase(Locale.ROOT), k));
  }

  public static DkimKeys none() {
    return new DkimKeys(List.of());
  }

  /** Loads every configured key file; blocking, call at start (fails start on a bad key). */
  public static DkimKeys load(DkimConfig config) {
    return new DkimKeys(config.keys().stream().map(k -> {
      try {
        return DkimKey.load(k.domain(), k.selector(), Path.of(k.privateKeyFile()), k.headers());
      } catch (IOException e) {
        throw new UncheckedIOException("dkim key for " + k.domain() + ": " + e.getMessage(), e);
      }
    }).toList());
  }

  public boolean isEmpty() {
    return byDomain.isEmpty();
  }

  /** The key for exactly this domain (no parent-domain fallback), or null. */
  public DkimKey forDomain(String domain) {
    return byDomain.get(domain.toLowerCase(Locale.ROOT));
  }
}
