package io.hermod.smtp;

/** Character-class helpers shared by the parsers. */
final class Ascii {

  private Ascii() {
  }

  /** A String, not a CharSequence: a direct loop the JIT compiles tight (every MAIL and RCPT address). */
  static boolean isAscii(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      if (s.charAt(i) > 127) {
        return false;
      }
    }
    return true;
  }

  static boolean isAlpha(int c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  static boolean isLetDig(int c) {
    return isAlpha(c) || isDigit(c);
  }

  /** RFC 5322 atext, extended by RFC 6531 §3.3 with any non-ASCII code point (UTF8-non-ascii). */
  static boolean isAtext(int c) {
    if (c > 127) {
      return true;
    }
    return isLetDig(c) || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
  }

  /** RFC 5321 qtextSMTP: %d32-33 / %d35-91 / %d93-126, plus UTF-8 under RFC 6531. */
  static boolean isQtext(int c) {
    return c == 32 || c == 33 || (c >= 35 && c <= 91) || (c >= 93 && c <= 126) || c > 127;
  }

  /** ASCII lower case; other bytes unchanged. */
  static int toLower(int c) {
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
  }

  static boolean isPrintable(int c) {
    return c >= 33 && c <= 126;
  }
}
