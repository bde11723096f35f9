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
  /**
   * Command and AUTH response limits paired as the connection pairs them (RFC 4954 §4: 512 and 12,290), and a
   * small pair so the fuzzer reaches an AUTH response that is too long.
   */
  private static final int[][] AUTH_LIMITS = {{512, LineReader.MAX_AUTH_RESPONSE_LINE}, {16, 40}};

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
    for (int[] limits : AUTH_LIMITS) {
      List<LineReader.Result> expected = null;
      for (List<Buffer> cutting : Chunks.cuttings(data)) {
        List<LineReader.Result> results = frameWithAuth(cutting, limits[0], limits[1]);
        if (expected == null) {
          expected = results;
        } else {
          assertEquals(expected, results, "AUTH framing depends on where the reads end (limits "
              + limits[0] + ", " + limits[1] + ")");
        }
      }
    }
  }

  /**
   * As the connection frames a session: command lines with one reader; after an AUTH command without an initial
   * response (answered by a 334), the next line with the AUTH response reader and its longer limit, then commands
   * again. Each reader keeps its own over-long-line state over one shared buffer.
   */
  private static List<LineReader.Result> frameWithAuth(List<Buffer> chunks, int commandLimit, int authLimit) {
    LineReader commands = new LineReader(commandLimit);
    LineReader responses = new LineReader(authLimit);
    boolean auth = false;
    InputBuffer in = new InputBuffer();
    List<LineReader.Result> out = new ArrayList<>();
    for (Buffer chunk : chunks) {
      in.append(chunk);
      while (true) {
        int limit = auth ? authLimit : commandLimit;
        LineReader.Result r = (auth ? responses : commands).next(in);
        if (r instanceof LineReader.NeedMore) {
          assertTrue(in.available() <= limit, () -> "buffered " + in.available() + " > " + limit);
          break;
        }
        out.add(r);
        if (r instanceof LineReader.BareNewline) {
          return out;
        }
        if (r instanceof LineReader.Line line) {
          assertFalse(line.text().indexOf('\r') >= 0 || line.text().indexOf('\n') >= 0,
              () -> "framed line keeps CR/LF: " + line.text());
          assertTrue(line.text().getBytes(StandardCharsets.UTF_8).length + 2 <= limit,
              () -> "line over the limit " + limit + ": " + line.text());
        }
        if (auth) {
          auth = false; // one response, whatever it was; the exchange's next step is the session's business
        } else if (r instanceof LineReader.Line line
            && CommandParser.parse(line.text()) instanceof ParseResult.Ok ok
            && ok.command() instanceof Command.Auth a && a.initialResponse() == null) {
          auth = true;
        }
      }
    }
    return out;
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
