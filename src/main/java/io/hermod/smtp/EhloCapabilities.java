package io.hermod.smtp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The service extensions a server advertised in its EHLO reply (RFC 5321 §4.1.1.1: the first line is the
 * server's name, each further line "KEYWORD [params]"). Keywords are case-insensitive. Immutable; the answers
 * a transaction asks for (PIPELINING, CHUNKING, SIZE and its limit, ...) are worked out once, when the reply is
 * parsed: a lookup with an upper-casing per question, several per message, showed in issue #17's profile.
 */
public final class EhloCapabilities {

  /** SIZE not advertised. */
  public static final long NO_SIZE = -1;

  /** Every advertised keyword (upper case) mapped to its parameter text ("" when none). */
  private final Map<String, String> keywords;
  private final boolean pipelining;
  private final boolean chunking;
  private final boolean smtpUtf8;
  private final boolean eightBitMime;
  private final boolean dsn;
  private final long sizeLimit;

  /** @param keywords every advertised keyword (upper case) mapped to its parameter text ("" when none) */
  public EhloCapabilities(Map<String, String> keywords) {
    this.keywords = Map.copyOf(keywords);
    this.pipelining = this.keywords.containsKey("PIPELINING");
    this.chunking = this.keywords.containsKey("CHUNKING");
    this.smtpUtf8 = this.keywords.containsKey("SMTPUTF8");
    this.eightBitMime = this.keywords.containsKey("8BITMIME");
    this.dsn = this.keywords.containsKey("DSN");
    this.sizeLimit = sizeLimit(this.keywords.get("SIZE"));
  }

  /** Every advertised keyword (upper case) mapped to its parameter text ("" when none). */
  public Map<String, String> keywords() {
    return keywords;
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
    return keywords.containsKey(keyword) || keywords.containsKey(keyword.toUpperCase(Locale.ROOT));
  }

  /** RFC 2920. */
  public boolean pipelining() {
    return pipelining;
  }

  /**
   * RFC 1870 §4: the announced maximum message size; 0 means "no fixed limit"; {@link #NO_SIZE} when SIZE
   * was not advertised. A malformed value counts as advertised without a limit.
   */
  public long sizeLimit() {
    return sizeLimit;
  }

  private static long sizeLimit(String value) {
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
    return sizeLimit != NO_SIZE;
  }

  /** RFC 6152. */
  public boolean eightBitMime() {
    return eightBitMime;
  }

  /** RFC 6531. */
  public boolean smtpUtf8() {
    return smtpUtf8;
  }

  /** RFC 3207. */
  public boolean startTls() {
    return has("STARTTLS");
  }

  /** RFC 3030 (BDAT). */
  public boolean chunking() {
    return chunking;
  }

  /** RFC 3461. */
  public boolean dsn() {
    return dsn;
  }

  /** RFC 2034. */
  public boolean enhancedStatusCodes() {
    return has("ENHANCEDSTATUSCODES");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EhloCapabilities other && keywords.equals(other.keywords);
  }

  @Override
  public int hashCode() {
    return keywords.hashCode();
  }

  @Override
  public String toString() {
    return "EhloCapabilities[keywords=" + keywords + "]";
  }
}
