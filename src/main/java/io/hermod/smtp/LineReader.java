package io.hermod.smtp;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Frames command lines (RFC 5321 §2.3.8): only CRLF ends a line. A bare CR or LF is an error (the SMTP
 * smuggling defence, CVE-2023-51764); a line longer than the limit is discarded up to its CRLF and reported
 * once, so a client cannot make us buffer without bound.
 */
public final class LineReader {

  public sealed interface Result {
  }

  /** A complete line, CRLF removed, decoded as UTF-8. */
  public record Line(String text) implements Result {
  }

  /** Not enough bytes yet. */
  public record NeedMore() implements Result {
  }

  /** The line exceeded the limit; it has been consumed. */
  public record TooLong() implements Result {
  }

  /** A CR not followed by LF, or an LF not preceded by CR. Nothing more should be read. */
  public record BareNewline() implements Result {
  }

  /** The line is not valid UTF-8; it has been consumed. */
  public record BadEncoding() implements Result {
  }

  /**
   * RFC 4954 §4: the longest SASL response line (after a 334) a server must accept, 12,288 octets, plus its
   * CRLF: far beyond a command line's 512.
   */
  public static final int MAX_AUTH_RESPONSE_LINE = 12_288 + 2;

  private static final NeedMore NEED_MORE = new NeedMore();
  private static final TooLong TOO_LONG = new TooLong();
  private static final BareNewline BARE = new BareNewline();
  private static final BadEncoding BAD_ENCODING = new BadEncoding();

  private final int maxLength;
  private boolean discarding;
  private int scanned; // octets after the unread position already checked for a line end, so no read rescans them

  /** @param maxLength longest line, CRLF included (RFC 5321 §4.5.3.1.4: 512) */
  public LineReader(int maxLength) {
    this.maxLength = maxLength;
  }

  /** True while the rest of an over-long line is being dropped (the unread bytes are mid-line). */
  public boolean discarding() {
    return discarding;
  }

  public Result next(InputBuffer in) {
    int start = in.position();
    int end = in.end();
    // A line arriving in many small reads is checked once, not again at every read (an AUTH response may be
    // 12,288 octets). Only this reader consumes while a line is incomplete; the bound is a safety net.
    for (int i = start + Math.min(scanned, end - start); i < end; i++) {
      byte b = in.get(i);
      if (b == '\n') {
        scanned = 0;
        if (discarding && i > start && in.get(i - 1) == '\r') {
          discarding = false;
          in.consumeTo(i + 1);
          return TOO_LONG;
        }
        return BARE;
      }
      if (b == '\r') {
        if (i + 1 == end) {
          scanned = i - start; // the LF may come with the next read: look at this CR again then
          return incomplete(in, start, end);
        }
        scanned = 0;
        if (in.get(i + 1) != '\n') {
          return BARE;
        }
        if (discarding) {
          discarding = false;
          in.consumeTo(i + 2);
          return TOO_LONG;
        }
        if (i - start + 2 > maxLength) {
          in.consumeTo(i + 2);
          return TOO_LONG;
        }
        Result line = decode(in, start, i);
        in.consumeTo(i + 2);
        return line;
      }
    }
    scanned = end - start;
    return incomplete(in, start, end);
  }

  /** No complete line. Keep at most a line's worth; beyond that, discard until the CRLF. */
  private Result incomplete(InputBuffer in, int start, int end) {
    int pending = end - start;
    if (discarding || pending >= maxLength) {
      discarding = true;
      boolean crPending = pending > 0 && in.get(end - 1) == '\r';
      in.consumeTo(crPending ? end - 1 : end);
      scanned = 0; // what is left, a CR at most, is looked at again
    }
    return NEED_MORE;
  }

  private static Result decode(InputBuffer in, int from, int to) {
    boolean ascii = true;
    for (int i = from; i < to; i++) {
      if (in.get(i) < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new Line(in.buffer().getString(from, to, "ISO-8859-1"));
    }
    byte[] bytes = in.buffer().getBytes(from, to);
    try {
      return new Line(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException e) {
      return BAD_ENCODING;
    }
  }
}
