package io.hermod.smtp;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Random inputs: the parser only ever fails with its own exception; stuffing always round-trips. */
class SmtpFuzzTest {

  private static final byte[] ALPHABET = {'.', '.', '\r', '\n', '\r', '\n', 'a', ' ', '-', '2', '5', '0', (byte) 0xe9};

  private static byte[] randomBytes(Random r, int max) {
    byte[] b = new byte[r.nextInt(max)];
    for (int i = 0; i < b.length; i++) {
      b[i] = ALPHABET[r.nextInt(ALPHABET.length)];
    }
    return b;
  }

  @Test
  void replyParserNeverThrowsAnythingElse() {
    Random r = new Random(42);
    for (int run = 0; run < 5_000; run++) {
      ReplyParser parser = new ReplyParser(600, 5);
      try {
        for (Buffer chunk : Chunks.random(randomBytes(r, 400), r)) {
          parser.feed(chunk);
        }
      } catch (SmtpProtocolException expected) {
        // fine: malformed input is a protocol error, nothing else
      }
    }
  }

  @Test
  void stuffedContentUnstuffsToTheOriginal() {
    Random r = new Random(7);
    for (int run = 0; run < 5_000; run++) {
      // Spooled content never has a bare CR or LF, so build it from CRLF lines.
      byte[] content = randomBytes(r, 300);
      content = new String(content, java.nio.charset.StandardCharsets.ISO_8859_1).replace("\r", "").replace("\n", "\r\n")
          .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      DotStuffer stuffer = new DotStuffer();
      Buffer wire = Buffer.buffer();
      for (Buffer chunk : Chunks.random(content, r)) {
        wire.appendBuffer(stuffer.encode(chunk));
      }
      wire.appendBuffer(stuffer.finish());
      byte[] expected = content;
      if (content.length > 0 && !endsWithCrlf(content)) {
        expected = Buffer.buffer(content).appendString("\r\n").getBytes();
      }
      assertArrayEquals(expected, unstuff(wire.getBytes()), "run " + run);
    }
  }

  private static boolean endsWithCrlf(byte[] b) {
    return b.length >= 2 && b[b.length - 2] == '\r' && b[b.length - 1] == '\n';
  }

  /** A strict receiver (RFC 5321 §4.5.2): CRLF lines, "." alone ends, a leading dot is removed. */
  private static byte[] unstuff(byte[] wire) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int start = 0;
    for (int i = 0; i + 1 < wire.length; i++) {
      if (wire[i] == '\r' && wire[i + 1] == '\n') {
        int len = i - start;
        if (len == 1 && wire[start] == '.') {
          if (i + 2 != wire.length) {
            throw new AssertionError("end marker before the end");
          }
          return out.toByteArray();
        }
        int from = len > 0 && wire[start] == '.' ? start + 1 : start;
        out.write(wire, from, i + 2 - from);
        start = i + 2;
        i++;
      }
    }
    throw new AssertionError("no end marker");
  }
}
