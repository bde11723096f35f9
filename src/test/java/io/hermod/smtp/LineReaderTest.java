package io.hermod.smtp;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LineReaderTest {

  /** Feeds the bytes in random chunks and returns what the reader produced, as short strings. */
  private static List<String> read(byte[] wire, int max, long seed) {
    Random random = new Random(seed);
    LineReader reader = new LineReader(max);
    InputBuffer in = new InputBuffer();
    List<String> out = new ArrayList<>();
    int pos = 0;
    while (pos < wire.length) {
      int n = Math.min(wire.length - pos, 1 + random.nextInt(9));
      in.append(Buffer.buffer().appendBytes(wire, pos, n));
      pos += n;
      while (true) {
        LineReader.Result r = reader.next(in);
        if (r instanceof LineReader.NeedMore) {
          break;
        }
        if (r instanceof LineReader.Line l) {
          out.add("line:" + l.text());
        } else if (r instanceof LineReader.TooLong) {
          out.add("too-long");
        } else if (r instanceof LineReader.BadEncoding) {
          out.add("bad-utf8");
        } else {
          out.add("bare");
          return out; // the connection closes
        }
      }
    }
    return out;
  }

  private static void check(String wire, int max, String... expected) {
    for (long seed = 0; seed < 30; seed++) {
      assertEquals(List.of(expected), read(wire.getBytes(StandardCharsets.UTF_8), max, seed), "seed " + seed);
    }
  }

  @Test
  void pipelinedLines() {
    check("EHLO a\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n", 512,
        "line:EHLO a", "line:MAIL FROM:<a@b>", "line:RCPT TO:<c@d>");
  }

  @Test
  void bareLfAndCrAreRefused() {
    check("EHLO a\nMAIL\r\n", 512, "bare");
    check("NOOP\r\nEHLO a\rMAIL\r\n", 512, "line:NOOP", "bare");
  }

  @Test
  void overlongLineIsDroppedAndReportedOnce() {
    String longLine = "NOOP " + "x".repeat(600) + "\r\n";
    check(longLine + "QUIT\r\n", 512, "too-long", "line:QUIT");
    check("NOOP " + "x".repeat(505) + "\r\n", 512, "line:NOOP " + "x".repeat(505));
    check("NOOP " + "x".repeat(506) + "\r\n", 512, "too-long");
  }

  /** RFC 4954 §4: an AUTH response line of 12,288 octets, even one octet per read (each read checks only its own). */
  @Test
  void authResponseLinesUpTo12288OctetsOneOctetAtATime() {
    for (int length : new int[] {12_288, 12_289}) {
      LineReader reader = new LineReader(LineReader.MAX_AUTH_RESPONSE_LINE);
      InputBuffer in = new InputBuffer();
      byte[] wire = ("A".repeat(length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      List<LineReader.Result> results = new ArrayList<>();
      for (byte b : wire) {
        in.append(Buffer.buffer().appendByte(b));
        LineReader.Result r = reader.next(in);
        if (!(r instanceof LineReader.NeedMore)) {
          results.add(r);
        }
      }
      assertEquals(List.of(length == 12_288 ? new LineReader.Line("A".repeat(length)) : new LineReader.TooLong()),
          results, "length " + length);
    }
  }

  @Test
  void utf8IsDecodedAndInvalidUtf8Refused() {
    check("RCPT TO:<jösé@b>\r\n", 512, "line:RCPT TO:<jösé@b>");
    byte[] bad = {'N', 'O', 'O', 'P', ' ', (byte) 0xC3, '\r', '\n', 'Q', 'U', 'I', 'T', '\r', '\n'};
    assertEquals(List.of("bad-utf8", "line:QUIT"), read(bad, 512, 1));
  }
}
