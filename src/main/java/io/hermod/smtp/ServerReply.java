package io.hermod.smtp;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMTP reply (RFC 5321 §4.2): a three-digit code, the RFC 3463 enhanced status code of its first line
 * when it carries one, and the text of each line (after the "250-" / "250 " prefix, enhanced code included).
 *
 * @param code           the reply code, 200..599
 * @param enhancedStatus "5.1.1" style code (RFC 2034 §4) whose class matches the reply's, or null
 * @param lines          the text of each line, never empty (a bare "250" has one empty line)
 */
public record ServerReply(int code, String enhancedStatus, List<String> lines) {

  // RFC 3463 §2: class "." subject "." detail, subject and detail 1..3 digits.
  private static final Pattern ENHANCED = Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})(?:\\s+|$)");

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

  /** @return the enhanced status at the start of {@code line} if its class matches {@code code}'s, else null. */
  static String enhancedStatusOf(int code, String line) {
    Matcher m = ENHANCED.matcher(line);
    if (m.find() && m.group(1).charAt(0) - '0' == code / 100) {
      return m.group(1) + "." + m.group(2) + "." + m.group(3);
    }
    return null;
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

  private String stripEnhanced(String line) {
    Matcher m = ENHANCED.matcher(line);
    return m.find() && m.group(1).charAt(0) - '0' == code / 100 ? line.substring(m.end()) : line;
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
