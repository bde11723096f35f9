package io.hermod.server;

/**
 * Client-given words (an AUTH user name) made safe for a log line of {@code key=value} fields: printable ASCII
 * stays as it is ({@code alice@example.test}, {@code +}, {@code =}...); a space, a control character (CR, LF,
 * ESC...), DEL and anything beyond ASCII become {@code ?}, so that nothing can end the line, start a forged one,
 * split a field or move a terminal's cursor. At most 255 characters.
 */
final class LogSafe {

  private static final int MAX = 255;

  private LogSafe() {
  }

  static String token(String s) {
    StringBuilder out = new StringBuilder(Math.min(s.length(), MAX));
    for (int i = 0; i < s.length() && out.length() < MAX; i++) {
      char c = s.charAt(i);
      out.append(c > 0x20 && c < 0x7f ? c : '?');
    }
    return out.toString();
  }
}
