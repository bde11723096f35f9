package io.hermod.smtp;

import io.vertx.core.buffer.Buffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Streaming encoder from message bytes to the DATA wire form (RFC 5321 §4.5.2): a '.' at the start of a
 * line is doubled, and {@link #finish()} gives the end marker CRLF.CRLF, adding the CRLF the content
 * lacks when it does not end with one. State is kept across chunks, so a CRLF split between two chunks
 * is still seen. Only CRLF ends a line: the spool holds no bare CR or LF (the listener refuses them), and
 * stuffing after a bare LF would change the message for a strict receiver.
 */
public final class DotStuffer {

  private static final byte CR = '\r';
  private static final byte LF = '\n';
  private static final byte DOT = '.';

  private boolean atLineStart = true;
  private boolean lastWasCr;
  private long bytesIn;
  private boolean finished;
  private byte[] scratch = new byte[0];

  /**
   * Encodes one chunk; the result may be larger than the input by the dots added. A chunk with no line starting
   * with '.' (nearly all of them) is returned as it is, not copied.
   */
  public Buffer encode(Buffer chunk) {
    if (finished) {
      throw new IllegalStateException("encoder already finished");
    }
    int len = chunk.length();
    // The chunk's own array (no copy for a heap buffer), searched for dots eight bytes at a time: only a dot
    // after CRLF (or at the start of the content) is doubled, and most chunks have none (issue #17).
    ArrayView view = ArrayView.ofHeap(chunk);
    byte[] a;
    int base;
    if (view != null) {
      a = view.array();
      base = view.offset();
    } else { // a direct buffer: one bulk copy into an array kept for the next chunk
      if (scratch.length < len) {
        scratch = new byte[len];
      }
      chunk.getBytes(0, len, scratch, 0);
      a = scratch;
      base = 0;
    }
    Buffer out = null;
    int runStart = 0;
    for (int dot = nextDot(a, base, base + len); dot >= 0; dot = nextDot(a, dot + 1, base + len)) {
      int i = dot - base; // the dot's index in the chunk
      boolean atStart = i == 0 ? atLineStart
          : i == 1 ? lastWasCr && a[base] == LF
          : a[base + i - 1] == LF && a[base + i - 2] == CR;
      if (atStart) {
        if (out == null) {
          out = Buffer.buffer(len + 16);
        }
        // Copy the run up to and including this dot, then the dot again.
        out.appendBuffer(chunk, runStart, i + 1 - runStart);
        out.appendByte(DOT);
        runStart = i + 1;
      }
    }
    if (len >= 2) {
      atLineStart = a[base + len - 2] == CR && a[base + len - 1] == LF;
    } else if (len == 1) {
      atLineStart = lastWasCr && a[base] == LF;
    }
    if (len >= 1) {
      lastWasCr = a[base + len - 1] == CR;
    }
    bytesIn += len;
    return out == null ? chunk : out.appendBuffer(chunk, runStart, len - runStart);
  }

  private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** The index of the first '.' in {@code a[from, to)}, or -1. */
  static int nextDot(byte[] a, int from, int to) {
    int i = from;
    while (i + Long.BYTES <= to) {
      long x = (long) WORDS.get(a, i) ^ 0x2E2E2E2E2E2E2E2EL;
      long found = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L; // lowest set byte: the first dot
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
      i += Long.BYTES;
    }
    while (i < to) {
      if (a[i] == DOT) {
        return i;
      }
      i++;
    }
    return -1;
  }

  /** The end-of-data marker: ".CRLF" after content ending in CRLF (or empty content), else "CRLF.CRLF". */
  public Buffer finish() {
    finished = true;
    return Buffer.buffer(bytesIn == 0 || atLineStart ? ".\r\n" : "\r\n.\r\n");
  }

  /** Convenience for whole messages: encode + finish, in a new buffer ({@code message} is left as it is). */
  public static Buffer stuff(Buffer message) {
    DotStuffer s = new DotStuffer();
    Buffer encoded = s.encode(message);
    return Buffer.buffer(encoded.length() + 5).appendBuffer(encoded).appendBuffer(s.finish());
  }
}
