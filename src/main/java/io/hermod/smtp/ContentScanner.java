package io.hermod.smtp;

import io.vertx.core.buffer.Buffer;

/**
 * Checks message content as it streams past (after DATA decoding, or raw BDAT chunks): size, line length,
 * bare CR/LF, and the number of Received header fields. It never holds content; only counters.
 */
public final class ContentScanner {

  private static final byte[] RECEIVED = "received:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final long maxSize;
  private final int maxLineLength;

  private long size;
  private int lineLength;
  private boolean crPending;
  private boolean bareNewline;
  private boolean lineTooLong;
  private boolean inHeaders = true;
  private int match;           // characters of "received:" matched at the start of this header line; -1 = no
  private int receivedCount;

  /**
   * @param maxSize       octets of content allowed (RFC 1870)
   * @param maxLineLength longest line, CRLF included (RFC 5322 §2.1.1: 1000)
   */
  public ContentScanner(long maxSize, int maxLineLength) {
    this.maxSize = maxSize;
    this.maxLineLength = maxLineLength;
  }

  public void scan(Buffer b, int from, int to) {
    size += to - from;
    for (int i = from; i < to; i++) {
      byte c = b.getByte(i);
      if (c == '\n') {
        if (!crPending) {
          bareNewline = true;
        }
        crPending = false;
        endOfLine();
        continue;
      }
      if (crPending) {
        bareNewline = true; // a CR followed by anything but LF
        crPending = false;
      }
      if (c == '\r') {
        crPending = true;
        continue;
      }
      if (++lineLength > maxLineLength - 2) {
        lineTooLong = true;
      }
      if (inHeaders && match >= 0 && match < RECEIVED.length) {
        int lower = c >= 'A' && c <= 'Z' ? c + 32 : c;
        if (lower == RECEIVED[match]) {
          if (++match == RECEIVED.length) {
            receivedCount++;
          }
        } else {
          match = -1;
        }
      }
    }
  }

  private void endOfLine() {
    if (inHeaders && lineLength == 0) {
      inHeaders = false; // the empty line ends the header section (RFC 5322 §2.1)
    }
    lineLength = 0;
    match = 0;
  }

  /** Call once the content is complete: a trailing CR with nothing after it is bare. */
  public void finish() {
    if (crPending) {
      bareNewline = true;
      crPending = false;
    }
  }

  public long size() {
    return size;
  }

  public boolean sizeExceeded() {
    return size > maxSize;
  }

  public boolean bareNewline() {
    return bareNewline;
  }

  public boolean lineTooLong() {
    return lineTooLong;
  }

  public int receivedCount() {
    return receivedCount;
  }
}
