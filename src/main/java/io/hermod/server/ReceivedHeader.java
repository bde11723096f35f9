package io.hermod.server;

import io.hermod.time.PerSecondText;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The trace field we prepend (RFC 5321 §4.4, RFC 5322 §3.6.7). Client-supplied text (the HELO name, the
 * recipient) is reduced to a safe character set so nothing can end the field or inject another.
 */
final class ReceivedHeader {

  /** RFC 5322 §3.3 date-time, built once per second. */
  private static final PerSecondText DATE =
      new PerSecondText(DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT)::format);

  private ReceivedHeader() {
  }

  /**
   * @param protocol "SMTP", "ESMTP", "ESMTPS", "ESMTPA", "ESMTPSA", "UTF8SMTP"... (RFC 3848, RFC 6531 §4.3)
   * @param forRecipient the single recipient, or null when there are several (do not disclose them)
   * @param tlsComment   "version=... cipher=..." under TLS, else null
   */
  static String build(String helo, String clientIp, String hostname, String protocol, String queueId,
                      String forRecipient, String tlsComment, ZonedDateTime when) {
    StringBuilder sb = new StringBuilder(256);
    sb.append("Received: from ").append(safe(helo)).append(" ([").append(safe(clientIp)).append("])\r\n")
        .append("\tby ").append(safe(hostname)).append(" (Hermod) with ").append(protocol)
        .append(" id ").append(queueId).append("\r\n\t");
    if (tlsComment != null) {
      sb.append('(').append(tlsComment).append(")\r\n\t");
    }
    if (forRecipient != null && isSafe(forRecipient)) {
      sb.append("for <").append(forRecipient).append(">");
    }
    sb.append("; ").append(DATE.of(when)).append("\r\n");
    return sb.toString();
  }

  /** Keeps letters, digits and ".-_:[]"; anything else becomes "?"; at most 255 characters. */
  static String safe(String s) {
    StringBuilder sb = new StringBuilder(Math.min(s.length(), 255));
    for (int i = 0; i < s.length() && i < 255; i++) {
      char c = s.charAt(i);
      sb.append(isSafeChar(c) ? c : '?');
    }
    return sb.toString();
  }

  private static boolean isSafe(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!isSafeChar(c) && c != '@' && c != '+' && c != '=') {
        return false;
      }
    }
    return s.length() <= 255;
  }

  private static boolean isSafeChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '.' || c == '-' || c == '_' || c == ':' || c == '[' || c == ']';
  }
}
