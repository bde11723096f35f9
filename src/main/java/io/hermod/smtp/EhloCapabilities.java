package io.hermod.smtp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The service extensions a server advertised in its EHLO reply (RFC 5321 §4.1.1.1: the first line is the
 * server's name, each further line "KEYWORD [params]"). Keywords are case-insensitive.
 *
 * @param keywords every advertised keyword (upper case) mapped to its parameter text ("" when none)
 */
public record EhloCapabilities(Map<String, String> keywords) {

  /** SIZE not advertised. */
  public static final long NO_SIZE = -1;

  public EhloCapabilities {
    keywords = Map.copyOf(keywords);
  }

  /** What a server that only answered HELO offers: nothing. */
  public static EhloCapabilities none() {
    return new EhloCapabilities(Map.of());
  }

  public static EhloCapabilities parse(ServerReply ehloReply) {
    List<String> lines = ehloReply.lines();
    Map<String, String> map = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String trimmed = line.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      int sp = indexOfWhitespace(trimmed);
      String keyword = (sp < 0 ? trimmed : trimmed.substring(0, sp)).toUpperCase(Locale.ROOT);
      String params = sp < 0 ? "" : trimmed.substring(sp + 1).strip();
      map.putIfAbsent(keyword, params);
    }
    return new EhloCapabilities(map);
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  public boolean has(String keyword) {
    return keywords.containsKey(keyword.toUpperCase(Locale.ROOT));
  }

  /** RFC 2920. */
  public boolean pipelining() {
    return has("PIPELINING");
  }

  /**
   * RFC 1870 §4: the announced maximum message size; 0 means "no fixed limit"; {@link #NO_SIZE} when SIZE
   * was not advertised. A malformed value counts as advertised without a limit.
   */
  public long sizeLimit() {
    String value = keywords.get("SIZE");
    if (value == null) {
      return NO_SIZE;
    }
    if (value.isEmpty()) {
      return 0;
    }
    try {
      int sp = indexOfWhitespace(value); // not split("\\s+"): a regex compiled per transaction (issue #17)
      return Math.max(0, Long.parseLong(sp < 0 ? value : value.substring(0, sp)));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  public boolean size() {
    return has("SIZE");
  }

  /** RFC 6152. */
  public boolean eightBitMime() {
    return has("8BITMIME");
  }

  /** RFC 6531. */
  public boolean smtpUtf8() {
    return has("SMTPUTF8");
  }

  /** RFC 3207. */
  public boolean startTls() {
    return has("STARTTLS");
  }

  /** RFC 3030 (BDAT). */
  public boolean chunking() {
    return has("CHUNKING");
  }

  /** RFC 3461. */
  public boolean dsn() {
    return has("DSN");
  }

  /** RFC 2034. */
  public boolean enhancedStatusCodes() {
    return has("ENHANCEDSTATUSCODES");
  }
}
