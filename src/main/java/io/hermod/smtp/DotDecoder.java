package io.hermod.smtp;

import io.vertx.core.buffer.Buffer;

/**
 * Decodes DATA transparency (RFC 5321 §4.5.2): a line starting with "." loses that dot, and the line
 * consisting of a single "." ends the data. Only CRLF ends a line, so "\n.\n", "\r.\r\n", "\n.\r\n" and
 * "\r\n.\n" are content, never an end (CVE-2023-51764/5/6); {@link ContentScanner} then refuses their bare
 * CR/LF. Streaming: state is kept across chunks; output is copied in runs, not byte by byte.
 */
public final class DotDecoder {

  private enum State { LINE_START, MIDDLE, CR, DOT, DOT_CR }

  // The DATA command's own CRLF puts us at a line start: ".\r\n" at once is an empty message.
  private State state = State.LINE_START;
  private boolean ended;

  /**
   * Decodes {@code in[from, to)} into {@code out}.
   *
   * @return the index after the last byte consumed: {@code to}, or the byte after the final "CRLF" of
   *         the end-of-data line when the end was found ({@link #ended()} is then true)
   */
  public int decode(Buffer in, int from, int to, Buffer out) {
    if (ended) {
      return from;
    }
    int run = from;
    int i = from;
    while (i < to) {
      byte b = in.getByte(i);
      switch (state) {
        case MIDDLE -> state = b == '\r' ? State.CR : State.MIDDLE;
        case CR -> state = b == '\n' ? State.LINE_START : b == '\r' ? State.CR : State.MIDDLE;
        case LINE_START -> {
          if (b == '.') {
            copy(in, run, i, out);
            run = i + 1; // drop the leading dot
            state = State.DOT;
          } else {
            state = b == '\r' ? State.CR : State.MIDDLE;
          }
        }
        case DOT -> {
          if (b == '\r') {
            copy(in, run, i, out);
            run = i; // hold the CR: it may belong to the end-of-data line
            state = State.DOT_CR;
          } else {
            state = State.MIDDLE;
          }
        }
        case DOT_CR -> {
          if (b == '\n') {
            ended = true;
            return i + 1;
          }
          if (run == i) {
            out.appendByte((byte) '\r'); // the held CR came in an earlier chunk
          }
          state = b == '\r' ? State.CR : State.MIDDLE;
        }
      }
      i++;
    }
    if (state == State.DOT_CR) {
      copy(in, run, to - 1 >= run ? to - 1 : run, out);
    } else {
      copy(in, run, to, out);
    }
    return to;
  }

  public boolean ended() {
    return ended;
  }

  private static void copy(Buffer in, int from, int to, Buffer out) {
    if (to > from) {
      out.appendBuffer(in, from, to - from);
    }
  }
}
