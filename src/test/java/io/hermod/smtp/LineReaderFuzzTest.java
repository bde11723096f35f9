package io.hermod.smtp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes command framing ({@link LineReader} over {@link InputBuffer}) with a client's byte stream cut at
 * arbitrary points, and hands every line it frames to the command parser. Seeds: the client side of every
 * dialogue transcript, smuggling and BDAT variants included.
 */
class LineReaderFuzzTest {

  /** The RFC 5321 §4.5.3.1.4 limit, and a small one so the fuzzer reaches the too-long path cheaply. */
  private static final int[] LIMITS = {512, 16};

  @FuzzTest(maxDuration = "60s")
  void framing(byte[] data) {
    for (int limit : LIMITS) {
      List<LineReader.Result> expected = null;
      for (List<Buffer> cutting : Chunks.cuttings(data)) {
        List<LineReader.Result> results = frame(cutting, limit);
        if (expected == null) {
          expected = results;
        } else {
          assertEquals(expected, results, "framing depends on where the reads end (limit " + limit + ")");
        }
      }
    }
  }

  /** Everything the reader says about the stream, NeedMore left out; stops at a bare CR/LF as the server does. */
  private static List<LineReader.Result> frame(List<Buffer> chunks, int limit) {
    LineReader reader = new LineReader(limit);
    InputBuffer in = new InputBuffer();
    List<LineReader.Result> out = new ArrayList<>();
    for (Buffer chunk : chunks) {
      in.append(chunk);
      while (true) {
        LineReader.Result r = reader.next(in);
        if (r instanceof LineReader.NeedMore) {
          // Memory stays bounded: at most a line's worth (plus a held CR) is kept unread.
          assertTrue(in.available() <= limit, () -> "buffered " + in.available() + " > " + limit);
          break;
        }
        out.add(r);
        if (r instanceof LineReader.BareNewline) {
          return out;
        }
        if (r instanceof LineReader.Line line) {
          checkLine(line.text(), limit);
        }
      }
    }
    return out;
  }

  private static void checkLine(String text, int limit) {
    assertFalse(text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0, () -> "framed line keeps CR/LF: " + text);
    assertTrue(text.getBytes(StandardCharsets.UTF_8).length + 2 <= limit, () -> "line over the limit: " + text);
    CommandParserFuzzTest.checkLine(text);
  }
}
