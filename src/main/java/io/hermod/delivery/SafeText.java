package io.hermod.delivery;

/**
 * Makes untrusted text (remote replies, host names, addresses) safe to put in a header field or a line of
 * a generated message: no CR, LF or other control character survives, so nothing can end a field early and
 * start a new one (header injection), and the length is bounded.
 */
final class SafeText {

  /** A remote reply longer than this is cut; it still folds to lines far below 998 octets. */
  static final int MAX_LENGTH = 2000;

  private SafeText() {
  }

  /**
   * Turns every run of control characters and whitespace (CR, LF, TAB, NUL, DEL, C1 controls...) into one
   * space, trims, and cuts at {@link #MAX_LENGTH}. Non-ASCII characters become '?' unless {@code utf8} (a
   * message/delivery-status part is ASCII; only message/global-delivery-status carries UTF-8, RFC 6533).
   */
  static String clean(String text, boolean utf8) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LENGTH + 3));
    boolean pendingSpace = false;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cp <= 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029
          || Character.isWhitespace(cp)) {
        pendingSpace = out.length() > 0;
        continue;
      }
      if (pendingSpace) {
        out.append(' ');
        pendingSpace = false;
      }
      if (cp >= 0x80 && !utf8) {
        out.append('?');
      } else {
        out.appendCodePoint(cp);
      }
      if (out.length() >= MAX_LENGTH) {
        return out.append("...").toString();
      }
    }
    return out.toString();
  }

  /** Like {@link #clean} but for single tokens (host names, addresses): all whitespace is removed. */
  static String token(String text, boolean utf8) {
    return clean(text, utf8).replace(" ", "");
  }

  static boolean isAscii(String s) {
    return s == null || s.chars().allMatch(c -> c < 0x80);
  }
}
