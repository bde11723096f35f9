package io.hermod.smtp;

import io.vertx.core.buffer.Buffer;

/**
 * Checks message content as it streams past (after DATA decoding, or raw BDAT chunks): size, line length,
 * bare CR/LF, the size of the header section, the number of Received header fields and a {@code TLS-Required: No}
 * field (RFC 8689 §3). It never holds content; only counters and a few octets of that one field's value.
 */
public final class ContentScanner {

  private static final byte[] RECEIVED = "received:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] TLS_REQUIRED = "tls-required:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final int MAX_TLS_REQUIRED_VALUE = 16; // "No" with room for blanks; longer is not "No"

  private final long maxSize;
  private final int maxLineLength;
  private final long maxHeaderBytes;

  private long size;
  private long headerBytes;
  private int lineLength;
  private boolean crPending;
  private boolean bareNewline;
  private boolean lineTooLong;
  private boolean inHeaders = true;
  private int match;           // characters of "received:" matched at the start of this header line; -1 = no
  private int receivedCount;
  private int tlsMatch;        // the same for "tls-required:"
  private final StringBuilder tlsValue = new StringBuilder(MAX_TLS_REQUIRED_VALUE);
  private boolean tlsNotRequired;

  /**
   * @param maxSize        octets of content allowed (RFC 1870)
   * @param maxLineLength  longest line, CRLF included (RFC 5322 §2.1.1: 1000)
   * @param maxHeaderBytes octets of header section allowed (Postfix's header_size_limit): the header fields,
   *                       CRLFs included, up to the empty line that ends them (RFC 5322 §2.1)
   */
  public ContentScanner(long maxSize, int maxLineLength, long maxHeaderBytes) {
    this.maxSize = maxSize;
    this.maxLineLength = maxLineLength;
    this.maxHeaderBytes = maxHeaderBytes;
  }

  public void scan(Buffer b, int from, int to) {
    size += to - from;
    for (int i = from; i < to; i++) {
      byte c = b.getByte(i);
      if (inHeaders && (lineLength > 0 || (c != '\r' && c != '\n'))) {
        headerBytes++; // a line's bytes from its first one that is not CR: the empty line is left out
      }
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
      if (inHeaders) {
        int lower = c >= 'A' && c <= 'Z' ? c + 32 : c;
        if (match >= 0 && match < RECEIVED.length) {
          if (lower == RECEIVED[match]) {
            if (++match == RECEIVED.length) {
              receivedCount++;
            }
          } else {
            match = -1;
          }
        }
        tlsRequiredField(lower);
      }
    }
  }

  /** Matches "TLS-Required:" at the start of a header line and keeps a few octets of its value. */
  private void tlsRequiredField(int lower) {
    if (tlsMatch < 0) {
      return;
    }
    if (tlsMatch < TLS_REQUIRED.length) {
      tlsMatch = lower == TLS_REQUIRED[tlsMatch] ? tlsMatch + 1 : -1;
    } else if (tlsValue.length() < MAX_TLS_REQUIRED_VALUE) {
      tlsValue.append((char) lower);
    } else {
      tlsMatch = -1; // too long to be "No"
    }
  }

  private void endOfLine() {
    if (inHeaders && lineLength == 0) {
      inHeaders = false; // the empty line ends the header section (RFC 5322 §2.1)
    }
    if (tlsMatch == TLS_REQUIRED.length && tlsValue.toString().strip().equals("no")) {
      tlsNotRequired = true; // RFC 8689 §3: the only value the field has
    }
    lineLength = 0;
    match = 0;
    tlsMatch = 0;
    tlsValue.setLength(0);
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

  /** Octets of the header section seen so far (all of it once the empty line has passed). */
  public long headerBytes() {
    return headerBytes;
  }

  public boolean headerTooBig() {
    return headerBytes > maxHeaderBytes;
  }

  public int receivedCount() {
    return receivedCount;
  }

  /** The header section has {@code TLS-Required: No} (RFC 8689 §3), any case, blanks around the value. */
  public boolean tlsNotRequired() {
    return tlsNotRequired;
  }
}
