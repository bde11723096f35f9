package io.hermod.smtp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the outbound DATA encoding: {@link DotStuffer} (as the client sends spooled content) then
 * {@link ContentScanner#decodeData} (as a receiver reads it) must give back the content, however either side's chunks fall.
 * The spool holds CRLF-only content, so the fuzzer's bytes are first made so: CRs dropped, LF made CRLF.
 */
class DotStufferFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void roundTrip(byte[] data) {
    byte[] content = crlfOnly(data);
    byte[] expected = endsWithCrlf(content) || content.length == 0 ? content
        : Buffer.buffer(content).appendString("\r\n").getBytes(); // the stuffer completes the last line
    byte[] wire = null;
    for (List<Buffer> cutting : Chunks.cuttings(content)) {
      byte[] w = stuff(cutting);
      if (wire != null) {
        assertArrayEquals(wire, w, "stuffing depends on chunking");
      }
      wire = w;
    }
    assertArrayEquals(wire, DotStuffer.stuff(Buffer.buffer(content)).getBytes(), "stuff() differs from encode()");
    for (List<Buffer> cutting : Chunks.cuttings(wire)) {
      DataReads decoder = new DataReads(new ContentScanner(Long.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE));
      for (Buffer chunk : cutting) {
        decoder.read(chunk);
      }
      assertTrue(decoder.ended(), "no end of data found");
      assertEquals(wire.length, decoder.consumed(), "end of data found before the end");
      assertArrayEquals(expected, decoder.content(), "round trip changed the content");
    }
  }

  private static byte[] stuff(List<Buffer> chunks) {
    DotStuffer stuffer = new DotStuffer();
    Buffer wire = Buffer.buffer();
    for (Buffer chunk : chunks) {
      wire.appendBuffer(stuffer.encode(chunk));
    }
    return wire.appendBuffer(stuffer.finish()).getBytes();
  }

  private static byte[] crlfOnly(byte[] data) {
    String s = new String(data, StandardCharsets.ISO_8859_1);
    return s.replace("\r", "").replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
  }

  private static boolean endsWithCrlf(byte[] b) {
    return b.length >= 2 && b[b.length - 2] == '\r' && b[b.length - 1] == '\n';
  }
}
