package io.hermod.submit;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The header fields Hermod puts in front of an injected message: its trace field, the application's tag,
 * and the Message-ID and Date an originating MTA supplies when the submitter left them out (RFC 5322 §3.6:
 * Date is required, Message-ID should be present; RFC 6409 §8.2 / §8.3 let a submission server add them).
 */
final class LocalHeaders {

  static final String TAG_FIELD = "X-Hermod-Tag";

  /** RFC 5322 §3.3 date-time with a numeric zone. */
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ROOT);

  private LocalHeaders() {
  }

  /**
   * @param content the message, CRLF line ends (its header section is read for Message-ID and Date)
   * @param tag     the application's tag, or null
   */
  static String build(String hostname, String queueId, String tag, byte[] content, ZonedDateTime now) {
    String date = DATE.format(now);
    StringBuilder sb = new StringBuilder(256);
    // RFC 5321 §4.4: there is no SMTP client, so "from" names the local source and "with" the local protocol.
    sb.append("Received: from local (event bus)\r\n\tby ").append(hostname).append(" (Hermod) with LOCAL id ")
        .append(queueId).append(";\r\n\t").append(date).append("\r\n");
    if (tag != null) {
      sb.append(TAG_FIELD).append(": ").append(tag).append("\r\n");
    }
    if (!hasField(content, "Message-ID")) {
      sb.append("Message-ID: <").append(queueId).append('@').append(hostname).append(">\r\n");
    }
    if (!hasField(content, "Date")) {
      sb.append("Date: ").append(date).append("\r\n");
    }
    return sb.toString();
  }

  /** True if a field named {@code name} (any case) starts a line of the header section (RFC 5322 §2.2). */
  static boolean hasField(byte[] content, String name) {
    byte[] wanted = (name + ":").toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    int line = 0;
    while (line < content.length) {
      if (content[line] == '\r') {
        return false; // the empty line ends the header section
      }
      if (startsWithIgnoreCase(content, line, wanted)) {
        return true;
      }
      int next = line;
      while (next < content.length && content[next] != '\n') {
        next++;
      }
      line = next + 1;
    }
    return false;
  }

  private static boolean startsWithIgnoreCase(byte[] content, int from, byte[] lowerPrefix) {
    if (from + lowerPrefix.length > content.length) {
      return false;
    }
    for (int i = 0; i < lowerPrefix.length; i++) {
      int c = content[from + i];
      if (c >= 'A' && c <= 'Z') {
        c += 32;
      }
      if (c != lowerPrefix[i]) {
        return false;
      }
    }
    return true;
  }
}
