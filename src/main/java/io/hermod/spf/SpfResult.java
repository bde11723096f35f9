package io.hermod.spf;

import java.util.Locale;

/** RFC 7208 §2.6 results. */
public enum SpfResult {
  PASS, FAIL, SOFTFAIL, NEUTRAL, NONE, TEMPERROR, PERMERROR;

  /** The lower-case keyword used in Received-SPF (RFC 7208 §9.1). */
  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** RFC 7208 §4.6.2 qualifiers: "+" pass (default), "-" fail, "~" softfail, "?" neutral. */
  static SpfResult ofQualifier(char q) {
    return switch (q) {
      case '-' -> FAIL;
      case '~' -> SOFTFAIL;
      case '?' -> NEUTRAL;
      default -> PASS;
    };
  }
}
