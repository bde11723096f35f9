package io.hermod.smtp;

import io.vertx.core.buffer.Buffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads message content as it streams past, in one pass over the received bytes: for DATA it undoes the dot
 * transparency (RFC 5321 §4.5.2) and finds the end of data, and for DATA and BDAT alike it checks the content
 * (after decoding): size, line length, bare CR/LF, the size of the header section, the number of Received
 * header fields and a {@code TLS-Required: No} field (RFC 8689 §3). It never holds content; only counters
 * and a few octets of that one field's value.
 * <p>
 * Decoded content is handed on as runs of the input array ({@link ContentSink}), never copied: it is the
 * input minus the dots removed and the end-of-data line. Only CRLF ends a line, so "\n.\n", "\r.\r\n",
 * "\n.\r\n" and "\r\n.\n" are content, never an end (CVE-2023-51764/5/6), and their bare CR/LF is reported.
 */
public final class ContentScanner {

  /** Receives decoded content: {@code array[from, to)}, valid to keep (the caller's input never changes). */
  @FunctionalInterface
  public interface ContentSink {
    void accept(byte[] array, int from, int to);
  }

  private static final byte[] RECEIVED = "received:".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TLS_REQUIRED = "tls-required:".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_TLS_REQUIRED_VALUE = 16; // "No" with room for blanks; longer is not "No"
  /** A CR held back at the end of one read (". CR") that turned out to be content in the next. */
  private static final byte[] CR = {'\r'};
  private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** Where DATA decoding is in a line that began with a dot. */
  private enum Dot { NONE, DOT, DOT_CR }

  private final long maxSize;
  private final int maxLineLength;
  private final long maxHeaderBytes;

  private long size;
  private long headerBytes;
  private int lineLength;       // octets of the current line, CR and LF not counted
  private boolean crPending;    // the last content octet was a CR
  private boolean bareNewline;
  private boolean lineTooLong;
  private boolean inHeaders = true;
  private int match;           // characters of "received:" matched at the start of this header line; -1 = no
  private int receivedCount;
  private int tlsMatch;        // the same for "tls-required:"
  private final StringBuilder tlsValue = new StringBuilder(MAX_TLS_REQUIRED_VALUE);
  private boolean tlsNotRequired;

  // DATA only. The DATA command's own CRLF puts us at a line start: ".\r\n" at once is an empty message.
  private boolean lineStart = true;
  private Dot dot = Dot.NONE;
  private boolean crInThisRead; // in DOT_CR: the held CR is in the array being read (else in an earlier one)
  private boolean ended;

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

  /** Checks raw content (BDAT chunks, RFC 3030: no transparency; or a whole message). */
  public void scan(byte[] a, int from, int to) {
    size += to - from;
    scanBytes(a, from, to, false);
  }

  public void scan(Buffer b, int from, int to) {
    ArrayView view = ArrayView.of(b);
    scan(view.array(), view.offset() + from, view.offset() + to);
  }

  /**
   * Decodes and checks DATA bytes {@code a[from, to)}, handing the content to {@code out} in runs of
   * {@code a} (in order; a run may also be one held-back CR from an earlier call).
   *
   * @return the index after the last byte consumed: {@code to}, or the byte after the final CRLF of the
   *         end-of-data line when the end was found ({@link #dataEnded()} is then true)
   */
  public int decodeData(byte[] a, int from, int to, ContentSink out) {
    if (ended) {
      return from;
    }
    int run = from; // start of the content run not yet handed on
    int i = from;
    while (i < to) {
      if (dot == Dot.DOT_CR) {
        if (a[i] == '\n') { // ".\r\n": the end; the dot was dropped and nothing since is content
          ended = true;
          return i + 1;
        }
        dot = Dot.NONE;
        if (crInThisRead) {
          scanBytes(a, i - 1, i, true); // the held CR is content after all, in the run already
        } else {
          emit(out, CR, 0, 1); // it came in an earlier read: hand it on by itself
          scanBytes(CR, 0, 1, true);
        }
      } else if (dot == Dot.DOT) {
        dot = Dot.NONE;
        if (a[i] == '\r') { // hold the CR: it may belong to the end-of-data line
          dot = Dot.DOT_CR;
          crInThisRead = true;
          i++;
          continue;
        }
      } else if (lineStart) {
        lineStart = false;
        if (a[i] == '.') {
          emit(out, a, run, i);
          run = i + 1; // drop the leading dot
          dot = Dot.DOT;
          i++;
          continue;
        }
      }
      i = scanBytes(a, i, to, true);
    }
    if (dot == Dot.DOT_CR && crInThisRead) {
      emit(out, a, run, to - 1); // the CR stays held back, to the next read
      crInThisRead = false;
    } else {
      emit(out, a, run, to);
    }
    return to;
  }

  /** The end-of-data line was found by {@link #decodeData}. */
  public boolean dataEnded() {
    return ended;
  }

  private void emit(ContentSink out, byte[] a, int from, int to) {
    if (to > from) {
      size += to - from;
      out.accept(a, from, to);
    }
  }

  /**
   * Checks content octets {@code a[i, to)}; with {@code toLineStart} it returns right after a CRLF (setting
   * {@link #lineStart}), where DATA must look for a dot.
   *
   * @return where it stopped
   */
  private int scanBytes(byte[] a, int i, int to, boolean toLineStart) {
    while (i < to && inHeaders) {
      if (!crPending && tlsMatch < 0 && (match < 0 || match == RECEIVED.length)) {
        // The rest of a field that is neither Received nor TLS-Required: only its length counts.
        int text = skipText(a, i, to);
        headerBytes += text - i;
        lineLength += text - i;
        lineTooLong |= lineLength > maxLineLength - 2;
        i = text;
        if (i == to) {
          break;
        }
      }
      byte c = a[i++];
      if (headerOctet(c) && toLineStart) {
        lineStart = true;
        return i;
      }
    }
    // The body: only line ends and lengths matter, so this loop is kept small (most content passes here).
    int length = lineLength;
    boolean cr = crPending;
    boolean bare = false;
    int limit = maxLineLength - 2;
    boolean tooLong = false;
    while (i < to) {
      if (!cr) {
        int text = skipText(a, i, to);
        length += text - i;
        i = text;
        if (i == to) {
          break;
        }
      }
      byte c = a[i++];
      if (c == '\n') {
        boolean crlf = cr;
        bare |= !cr;
        cr = false;
        tooLong |= length > limit;
        length = 0;
        if (crlf && toLineStart && (i == to || a[i] == '.')) {
          lineStart = true; // DATA looks at this line's first octet (a line not starting with a dot goes on here)
          break;
        }
      } else {
        bare |= cr;
        cr = c == '\r';
        if (!cr) {
          length++;
        }
      }
    }
    lineLength = length;
    crPending = cr;
    bareNewline |= bare;
    lineTooLong |= tooLong || length > limit;
    return i;
  }

  /**
   * The index of the first CR or LF in {@code a[i, to)}, or {@code to}. Eight octets at a time: a word's octets
   * equal to CR or LF are found with the zero-byte test (the lowest flagged octet is always a true one).
   */
  private static int skipText(byte[] a, int i, int to) {
    while (i + Long.BYTES <= to) {
      long word = (long) WORDS.get(a, i);
      long cr = word ^ 0x0D0D0D0D0D0D0D0DL;
      long lf = word ^ 0x0A0A0A0A0A0A0A0AL;
      long found = ((cr - 0x0101010101010101L) & ~cr | (lf - 0x0101010101010101L) & ~lf) & 0x8080808080808080L;
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
      i += Long.BYTES;
    }
    while (i < to && a[i] != '\r' && a[i] != '\n') {
      i++;
    }
    return i;
  }

  /**
   * One octet of the header section (RFC 5322 §2.1: up to the first empty line).
   *
   * @return true when it ended a line with CRLF
   */
  private boolean headerOctet(byte c) {
    if (lineLength > 0 || (c != '\r' && c != '\n')) {
      headerBytes++; // a line's bytes from its first one that is not CR: the empty line is left out
    }
    if (c == '\n') {
      boolean crlf = crPending;
      if (!crPending) {
        bareNewline = true;
      }
      crPending = false;
      endOfHeaderLine();
      return crlf;
    }
    if (crPending) {
      bareNewline = true; // a CR followed by anything but LF
      crPending = false;
    }
    if (c == '\r') {
      crPending = true;
      return false;
    }
    if (++lineLength > maxLineLength - 2) {
      lineTooLong = true;
    }
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
    return false;
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

  private void endOfHeaderLine() {
    if (lineLength == 0) {
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
