package io.hermod.smtp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

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
      sameForEveryCutting(data, cutting -> frame(cutting, limit, 0), "limit " + limit);
    }
    for (int[] limits : AUTH_LIMITS) {
      sameForEveryCutting(data, cutting -> frame(cutting, limits[0], limits[1]),
          "AUTH framing, limits " + limits[0] + " and " + limits[1]);
    }
  }

  private static void sameForEveryCutting(byte[] data, Function<List<Buffer>, List<LineReader.Result>> framing,
                                          String what) {
    List<LineReader.Result> expected = null;
    for (List<Buffer> cutting : Chunks.cuttings(data)) {
      List<LineReader.Result> results = framing.apply(cutting);
      if (expected == null) {
        expected = results;
      } else {
        assertEquals(expected, results, "framing depends on where the reads end (" + what + ")");
      }
    }
  }

  /**
   * Everything the readers say about the stream, NeedMore left out; stops at a bare CR/LF as the server does.
   * Command lines with one reader; with an {@code authLimit} (not 0), as the connection does, the line after an
   * AUTH command without initial response (answered by a 334) with the AUTH response reader and its own limit,
   * then commands again. Each reader keeps its own over-long-line state over the one shared buffer.
   */
  private static List<LineReader.Result> frame(List<Buffer> chunks, int commandLimit, int authLimit) {
    LineReader commands = new LineReader(commandLimit);
    LineReader responses = authLimit == 0 ? null : new LineReader(authLimit);
    boolean auth = false;
    InputBuffer in = new InputBuffer();
    List<LineReader.Result> out = new ArrayList<>();
    for (Buffer chunk : chunks) {
      in.append(chunk);
      while (true) {
        int limit = auth ? authLimit : commandLimit;
        LineReader.Result r = (auth ? responses : commands).next(in);
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
          checkFramed(line.text(), limit);
          if (!auth) {
            CommandParserFuzzTest.checkLine(line.text());
          }
        }
        if (auth) {
          auth = false; // one response, whatever it was; the exchange's next step is the session's business
        } else if (responses != null && r instanceof LineReader.Line line
            && CommandParser.parse(line.text()) instanceof ParseResult.Ok ok
            && ok.command() instanceof Command.Auth a && a.initialResponse() == null) {
          auth = true;
        }
      }
    }
    return out;
  }

  private static void checkFramed(String text, int limit) {
    assertFalse(text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0, () -> "framed line keeps CR/LF: " + text);
    assertTrue(text.getBytes(StandardCharsets.UTF_8).length + 2 <= limit,
        () -> "line over the limit " + limit + ": " + text);
  }
}
