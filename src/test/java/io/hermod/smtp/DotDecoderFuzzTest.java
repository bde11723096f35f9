package io.hermod.smtp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzzes DATA decoding and checking in one pass ({@link ContentScanner#decodeData}), as the listener reads, on
 * arbitrary bytes after the 354 cut at arbitrary points. Each cutting must give what the whole input gives,
 * and both must match a plain, non-streaming model of RFC 5321 §4.5.2. Seeds: the DATA payloads of the
 * dialogue transcripts (smuggling variants included) and of the decoder tests.
 */
class DotDecoderFuzzTest {

  private static final int MAX_LINE = 20; // small, so the line-length check is reached

  /** What one run over the stream produced. */
  private record Outcome(byte[] content, boolean ended, int consumed, long size, boolean bare, boolean tooLong,
                         int received, long header) {
  }

  @FuzzTest(maxDuration = "60s")
  void decode(byte[] data) {
    Outcome model = model(data);
    for (List<Buffer> cutting : Chunks.cuttings(data)) {
      Outcome got = run(cutting);
      assertArrayEquals(model.content(), got.content(), "decoded content");
      assertEquals(model.ended(), got.ended(), "end of data found");
      assertEquals(model.consumed(), got.consumed(), "bytes consumed");
      assertEquals(model, withContent(got, model.content()), "scanner results");
    }
  }

  private static Outcome withContent(Outcome o, byte[] content) {
    return new Outcome(content, o.ended(), o.consumed(), o.size(), o.bare(), o.tooLong(), o.received(), o.header());
  }

  private static Outcome run(List<Buffer> chunks) {
    ContentScanner scanner = new ContentScanner(Long.MAX_VALUE, MAX_LINE, Long.MAX_VALUE);
    DataReads decoder = new DataReads(scanner);
    for (Buffer chunk : chunks) {
      decoder.read(chunk);
      if (decoder.ended()) {
        break;
      }
    }
    if (decoder.ended()) {
      scanner.finish();
    }
    return new Outcome(decoder.content(), decoder.ended(), decoder.consumed(), scanner.size(), scanner.bareNewline(),
        scanner.lineTooLong(), scanner.receivedCount(), scanner.headerBytes());
  }

  /**
   * The model: lines end only at CRLF; a line "." ends the data; any other line loses one leading dot. Without
   * an end, the unfinished last line is decoded too, except that a "." followed by a lone CR is held back
   * (the CR may still become the end marker).
   */
  private static Outcome model(byte[] in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int start = 0;
    boolean ended = false;
    int consumed = in.length;
    while (start < in.length) {
      int crlf = indexOfCrlf(in, start);
      int lineEnd = crlf < 0 ? in.length : crlf + 2;
      boolean dot = in[start] == '.';
      if (dot && crlf == start + 1) {
        ended = true;
        consumed = lineEnd;
        break;
      }
      int from = dot ? start + 1 : start;
      int to = crlf < 0 && dot && lineEnd == start + 2 && in[start + 1] == '\r' ? lineEnd - 1 : lineEnd;
      out.write(in, from, to - from);
      start = lineEnd;
    }
    byte[] content = out.toByteArray();
    return scanModel(content, ended, consumed);
  }

  /** ContentScanner's checks, computed on the whole decoded content at once. */
  private static Outcome scanModel(byte[] c, boolean ended, int consumed) {
    boolean bare = false;
    for (int i = 0; i < c.length; i++) {
      boolean crWithoutLf = c[i] == '\r' && (i + 1 < c.length ? c[i + 1] != '\n' : ended);
      boolean lfWithoutCr = c[i] == '\n' && (i == 0 || c[i - 1] != '\r');
      bare |= crWithoutLf || lfWithoutCr;
    }
    // Lines end at any LF; CRs are not counted in a line's length.
    String text = new String(c, java.nio.charset.StandardCharsets.ISO_8859_1).replace("\r", "");
    boolean tooLong = false;
    boolean inHeaders = true;
    int received = 0;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      tooLong |= line.length() > MAX_LINE - 2;
      if (inHeaders && line.regionMatches(true, 0, "received:", 0, 9)) {
        received++;
      }
      if (line.isEmpty() && i < lines.length - 1) {
        inHeaders = false;
      }
    }
    return new Outcome(c, ended, consumed, c.length, bare, tooLong, received, headerBytes(c));
  }

  /**
   * The header section's size: the octets of the lines (each ended by LF) before the first empty one, where a
   * line made of CRs only counts as empty and a line's leading CRs are not counted (the scanner cannot tell them
   * from an empty line's CR until it sees more; with a bare CR the message is refused anyway).
   */
  private static long headerBytes(byte[] c) {
    long header = 0;
    int pos = 0;
    while (pos < c.length) {
      int lf = pos;
      while (lf < c.length && c[lf] != '\n') {
        lf++;
      }
      int end = lf < c.length ? lf + 1 : c.length;
      int first = pos;
      while (first < end && c[first] == '\r') {
        first++;
      }
      if (first == end || first == lf) {
        break; // an empty line (or CRs at the very end): the header section is over
      }
      header += end - first;
      pos = end;
    }
    return header;
  }

  private static int indexOfCrlf(byte[] b, int from) {
    for (int i = from; i + 1 < b.length; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
