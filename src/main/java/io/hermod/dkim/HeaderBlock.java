package io.hermod.dkim;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects a message's header section (RFC 5322 §2.2) from the streamed content, up to a bound, and splits
 * it into fields. Bytes after the blank line belong to the body and are handed back to the caller.
 */
final class HeaderBlock {

  private final int maxBytes;
  private final StringBuilder text = new StringBuilder();
  private boolean complete;
  private boolean tooLarge;
  private int crlfRun; // progress through CR LF CR LF

  HeaderBlock(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * Takes header bytes from {@code b[from..to)}.
   *
   * @return the index of the first body byte, or {@code to} when all were header bytes
   */
  int update(byte[] b, int from, int to) {
    int i = from;
    while (i < to && !complete) {
      byte c = b[i++];
      if (tooLarge) {
        // keep looking for the end of the headers so the body hash still starts at the right byte
      } else if (text.length() >= maxBytes) {
        tooLarge = true;
      } else {
        text.append((char) (c & 0xff)); // one char per octet (ISO-8859-1)
      }
      crlfRun = (c == (crlfRun % 2 == 0 ? '\r' : '\n')) ? crlfRun + 1 : (c == '\r' ? 1 : 0);
      if (crlfRun == 4 || crlfRun == 2 && text.length() == 2) {
        complete = true; // a blank line; a message may also start with one (no headers at all)
      }
    }
    return i;
  }

  /** The blank line ending the header section has been seen. */
  boolean complete() {
    return complete;
  }

  boolean tooLarge() {
    return tooLarge;
  }

  /** The fields, in message order; a message without a body (no blank line) counts its headers too. */
  List<HeaderField> fields() {
    List<HeaderField> fields = new ArrayList<>();
    String all = text.toString(); // ISO-8859-1 text: one char per octet, so signing sees the exact bytes
    StringBuilder current = null;
    for (String line : all.split("\r\n", -1)) {
      if (line.isEmpty()) {
        break;
      }
      if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
        current.append("\r\n").append(line); // a folded continuation line
        continue;
      }
      add(fields, current);
      current = new StringBuilder(line);
    }
    add(fields, current);
    return fields;
  }

  private static void add(List<HeaderField> fields, StringBuilder field) {
    if (field != null) {
      int colon = field.indexOf(":");
      if (colon > 0) {
        fields.add(new HeaderField(field.substring(0, colon), field.toString()));
      }
    }
  }
}
