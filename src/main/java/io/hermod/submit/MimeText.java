package io.hermod.submit;

import io.vertx.ext.mail.mailencoder.EncodedPart;

import java.util.List;
import java.util.Map;

/**
 * Serialises the part tree the Mail Client's MailEncoder builds. Its own {@code encode()} (5.0.7) leaves out
 * the close delimiter "--boundary--" of every multipart, which RFC 2046 §5.1.1 requires (Python's email
 * package reports CloseBoundaryNotFoundDefect). Lines end with LF here; {@link LineEndings} makes them CRLF.
 */
final class MimeText {

  private MimeText() {
  }

  static String of(EncodedPart part) {
    StringBuilder sb = new StringBuilder(part.size() + 1024);
    append(sb, part);
    return sb.toString();
  }

  private static void append(StringBuilder sb, EncodedPart part) {
    for (Map.Entry<String, String> h : part.headers()) {
      sb.append(h.getKey()).append(": ").append(h.getValue()).append('\n');
    }
    sb.append('\n');
    List<EncodedPart> children = part.parts();
    if (children == null || children.isEmpty()) {
      sb.append(part.body());
      if (sb.charAt(sb.length() - 1) != '\n') {
        sb.append('\n');
      }
      return;
    }
    // RFC 2046 §5.1.1: the line break before a delimiter belongs to the delimiter, so each part keeps its own
    // last line end and the delimiter brings another.
    String delimiter = "--" + part.boundary();
    for (int i = 0; i < children.size(); i++) {
      sb.append(i == 0 ? "" : "\n").append(delimiter).append('\n');
      append(sb, children.get(i));
    }
    sb.append('\n').append(delimiter).append("--\n");
  }
}
