package io.hermod.smtp;

import io.vertx.core.buffer.Buffer;

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

  /** Encodes one chunk; the result may be larger than the input by the dots added. */
  public Buffer encode(Buffer chunk) {
    if (finished) {
      throw new IllegalStateException("encoder already finished");
    }
    int len = chunk.length();
    Buffer out = Buffer.buffer(len + 16);
    int runStart = 0;
    for (int i = 0; i < len; i++) {
      byte b = chunk.getByte(i);
      if (atLineStart && b == DOT) {
        // Copy the run up to and including this dot, then the dot again.
        out.appendBuffer(chunk, runStart, i + 1 - runStart);
        out.appendByte(DOT);
        runStart = i + 1;
      }
      atLineStart = lastWasCr && b == LF;
      lastWasCr = b == CR;
    }
    out.appendBuffer(chunk, runStart, len - runStart);
    bytesIn += len;
    return out;
  }

  /** The end-of-data marker: ".CRLF" after content ending in CRLF (or empty content), else "CRLF.CRLF". */
  public Buffer finish() {
    finished = true;
    return Buffer.buffer(bytesIn == 0 || atLineStart ? ".\r\n" : "\r\n.\r\n");
  }

  /** Convenience for whole messages: encode + finish. */
  public static Buffer stuff(Buffer message) {
    DotStuffer s = new DotStuffer();
    return s.encode(message).appendBuffer(s.finish());
  }
}
