package io.hermod.smtp;

import java.util.List;

/**
 * One SMTP reply (RFC 5321 §4.2): a three-digit code, the RFC 3463 enhanced status code of its first line
 * when it carries one, and the text of each line (after the "250-" / "250 " prefix, enhanced code included).
 *
 * @param code           the reply code, 200..599
 * @param enhancedStatus "5.1.1" style code (RFC 2034 §4) whose class matches the reply's, or null
 * @param lines          the text of each line, never empty (a bare "250" has one empty line)
 */
public record ServerReply(int code, String enhancedStatus, List<String> lines) {

  public ServerReply {
    if (code < 100 || code > 599) {
      throw new IllegalArgumentException("reply code out of range: " + code);
    }
    lines = List.copyOf(lines);
    if (lines.isEmpty()) {
      lines = List.of("");
    }
  }

  /** Builds a reply from its parts, reading the enhanced status from the first line. */
  public static ServerReply of(int code, List<String> lines) {
    return new ServerReply(code, enhancedStatusOf(code, lines.isEmpty() ? "" : lines.get(0)), lines);
  }

  /** A reply we generate ourselves, e.g. {@code local(552, "5.3.4", "message too big for remote")}. */
  public static ServerReply local(int code, String enhancedStatus, String text) {
    return new ServerReply(code, enhancedStatus, List.of(enhancedStatus == null ? text : enhancedStatus + " " + text));
  }

  /**
   * @return the enhanced status (RFC 3463 §2: class "." subject "." detail, 1-3 digits each) at the start of
   *     {@code line}, followed by white space or the end, if its class matches {@code code}'s; else null. A scan,
   *     not a regex: the delivery client reads one per reply, five per message (issue #17).
   */
  static String enhancedStatusOf(int code, String line) {
    int n = line.length();
    char c = n > 0 ? line.charAt(0) : 0;
    if ((c != '2' && c != '4' && c != '5') || c - '0' != code / 100 || n < 5 || line.charAt(1) != '.') {
      return null;
    }
    int subjectEnd = digits(line, 2);
    if (subjectEnd < 0 || subjectEnd >= n || line.charAt(subjectEnd) != '.') {
      return null;
    }
    int end = digits(line, subjectEnd + 1);
    if (end < 0 || (end < n && !isRegexSpace(line.charAt(end)))) {
      return null;
    }
    return line.substring(0, end);
  }

  /** True when {@code s} is exactly an enhanced status code ("5.1.1"; RFC 3463 §2), without any text after it. */
  public static boolean isEnhancedStatus(String s) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    String status = enhancedStatusOf((s.charAt(0) - '0') * 100, s);
    return status != null && status.length() == s.length();
  }

  /** The end of the 1-3 ASCII digits at {@code from}, or -1 (none, or more than 3). */
  private static int digits(String s, int from) {
    int i = from;
    while (i < s.length() && i - from < 4 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    return i == from || i - from > 3 ? -1 : i;
  }

  /** java.util.regex's \s: space, tab, newline, vertical tab, form feed, carriage return. */
  private static boolean isRegexSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
  }

  /** 2xx and 3xx (RFC 5321 §4.2.1: completion and intermediate). */
  public boolean isPositive() {
    return code < 400;
  }

  /** 4xx: transient negative completion; the client should try again later. */
  public boolean isTransient() {
    return code >= 400 && code < 500;
  }

  /** 5xx: permanent negative completion. */
  public boolean isPermanent() {
    return code >= 500;
  }

  /** The human text: lines joined with a space, each without its leading enhanced status code. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    for (String line : lines) {
      String t = stripEnhanced(line);
      if (!t.isEmpty()) {
        if (sb.length() > 0) {
          sb.append(' ');
        }
        sb.append(t);
      }
    }
    return sb.toString();
  }

  /** The line without its leading enhanced status and the white space after it. */
  private String stripEnhanced(String line) {
    String status = enhancedStatusOf(code, line);
    if (status == null) {
      return line;
    }
    int i = status.length();
    while (i < line.length() && isRegexSpace(line.charAt(i))) {
      i++;
    }
    return line.substring(i);
  }

  /** One line for logs and recipient state: "550 5.1.1 no such user". */
  @Override
  public String toString() {
    String text = text();
    StringBuilder sb = new StringBuilder().append(code);
    if (enhancedStatus != null) {
      sb.append(' ').append(enhancedStatus);
    }
    if (!text.isEmpty()) {
      sb.append(' ').append(text);
    }
    return sb.toString();
  }
}
