package io.hermod.smtp;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Incremental parser of SMTP replies (RFC 5321 §4.2) fed with byte chunks as they come off the socket.
 * A reply is one or more lines "ccc-text" ending with a line "ccc text" (or a bare "ccc"). Lines end with
 * CRLF; a bare LF is tolerated from remote servers (we only read what they say, nothing is relayed from it).
 * Line length and lines per reply are bounded, so a hostile peer cannot make us buffer without end.
 * Not thread-safe; once it has failed it stays broken (the caller closes the connection).
 */
public final class ReplyParser {

  public static final int DEFAULT_MAX_LINE_LENGTH = 4096;
  public static final int DEFAULT_MAX_LINES = 100;

  private final int maxLineLength;
  private final int maxLines;
  /** The partial line, without its LF (a plain array: a synchronized stream per byte showed in issue #17). */
  private byte[] line = new byte[128];
  private int lineLength;
  private final List<String> pendingLines = new ArrayList<>();
  private int pendingCode = -1;
  private String failure;

  public ReplyParser() {
    this(DEFAULT_MAX_LINE_LENGTH, DEFAULT_MAX_LINES);
  }

  public ReplyParser(int maxLineLength, int maxLines) {
    this.maxLineLength = maxLineLength;
    this.maxLines = maxLines;
  }

  /** Feeds the next chunk; returns every reply it completed (possibly none). */
  public List<ServerReply> feed(Buffer chunk) throws SmtpProtocolException {
    return feed(chunk.getBytes());
  }

  public List<ServerReply> feed(byte[] bytes) throws SmtpProtocolException {
    return feed(bytes, Integer.MAX_VALUE);
  }

  /**
   * Feeds bytes but stops after {@code maxReplies} complete replies; the bytes after the last of them are
   * not looked at (used for the reply to STARTTLS, after which plaintext must not be trusted).
   */
  public List<ServerReply> feed(byte[] bytes, int maxReplies) throws SmtpProtocolException {
    if (failure != null) {
      throw new SmtpProtocolException(failure);
    }
    List<ServerReply> done = new ArrayList<>(1);
    try {
      int i = 0;
      while (i < bytes.length && done.size() < maxReplies) {
        int lf = i;
        while (lf < bytes.length && bytes[lf] != '\n') {
          lf++;
        }
        if (lf > i) {
          if (lineLength + (lf - i) > maxLineLength) {
            throw fail("reply line longer than " + maxLineLength + " octets");
          }
          append(bytes, i, lf - i);
        }
        if (lf == bytes.length) {
          break;
        }
        ServerReply reply = endLine();
        if (reply != null) {
          done.add(reply);
        }
        i = lf + 1;
      }
    } catch (SmtpProtocolException e) {
      // Replies completed before the bad line still count (a "250 queued" must not be lost to garbage in
      // the same read); the failure is remembered and thrown by the next feed. Found by ReplyParserFuzzTest.
      if (done.isEmpty()) {
        throw e;
      }
    }
    return done;
  }

  private void append(byte[] bytes, int from, int count) {
    if (lineLength + count > line.length) {
      line = Arrays.copyOf(line, Math.max(lineLength + count, Math.min(2 * line.length, maxLineLength)));
    }
    System.arraycopy(bytes, from, line, lineLength, count);
    lineLength += count;
  }

  /** True when no partial line or partial multi-line reply is buffered. */
  public boolean isIdle() {
    return lineLength == 0 && pendingCode < 0;
  }

  /** Forgets anything buffered (used after STARTTLS: nothing sent before the handshake may be trusted). */
  public void reset() {
    lineLength = 0;
    pendingLines.clear();
    pendingCode = -1;
  }

  private ServerReply endLine() throws SmtpProtocolException {
    byte[] raw = line; // read before the next append overwrites it
    int len = lineLength;
    lineLength = 0;
    if (len > 0 && raw[len - 1] == '\r') {
      len--;
    }
    if (len < 3 || !isDigit(raw[0]) || !isDigit(raw[1]) || !isDigit(raw[2]) || raw[0] < '2' || raw[0] > '5') {
      throw fail("malformed reply line: " + printable(raw, len));
    }
    int code = (raw[0] - '0') * 100 + (raw[1] - '0') * 10 + (raw[2] - '0');
    boolean last;
    if (len == 3 || raw[3] == ' ') {
      last = true;
    } else if (raw[3] == '-') {
      last = false;
    } else {
      throw fail("malformed reply line: " + printable(raw, len));
    }
    if (pendingCode >= 0 && pendingCode != code) {
      throw fail("multi-line reply changed code from " + pendingCode + " to " + code);
    }
    if (pendingLines.size() >= maxLines) {
      throw fail("reply has more than " + maxLines + " lines");
    }
    pendingCode = code;
    String text = len > 4 ? new String(raw, 4, len - 4, StandardCharsets.UTF_8) : "";
    pendingLines.add(text);
    if (!last) {
      return null;
    }
    ServerReply reply = ServerReply.of(code, pendingLines);
    pendingLines.clear();
    pendingCode = -1;
    return reply;
  }

  private SmtpProtocolException fail(String message) {
    failure = message;
    return new SmtpProtocolException(message);
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  private static String printable(byte[] raw, int len) {
    String s = new String(raw, 0, Math.min(len, 80), StandardCharsets.ISO_8859_1);
    return s.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
