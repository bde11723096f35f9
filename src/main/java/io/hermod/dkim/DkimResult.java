package io.hermod.dkim;

import java.util.Locale;

/** Results of DKIM verification as RFC 8601 §2.7.1 names them. */
public enum DkimResult {
  /** The message had no signature. */
  NONE,
  PASS,
  /** The signature or the body hash did not verify. */
  FAIL,
  /** A signature that could not be processed for reasons that do not count against it. */
  NEUTRAL,
  /** A DNS failure or timeout fetching the key. */
  TEMPERROR,
  /** A malformed signature, no key, a revoked or unusable key, an expired signature. */
  PERMERROR;

  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }
}
