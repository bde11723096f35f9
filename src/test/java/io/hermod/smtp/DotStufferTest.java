package io.hermod.smtp;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class DotStufferTest {

  // Escapes: \r \n as written in the table; ~ stands for nothing (empty input).
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "a\\r\\n                 | a\\r\\n.\\r\\n",
      "a                       | a\\r\\n.\\r\\n",
      "~                       | .\\r\\n",
      ".\\r\\n                 | ..\\r\\n.\\r\\n",
      ".a\\r\\n.\\r\\nb\\r\\n   | ..a\\r\\n..\\r\\nb\\r\\n.\\r\\n",
      "a\\r\\n.                | a\\r\\n..\\r\\n.\\r\\n",
      "a.b\\r\\n..c\\r\\n        | a.b\\r\\n...c\\r\\n.\\r\\n",
      "x\\n.y\\r\\n             | x\\n.y\\r\\n.\\r\\n",
      "x\\r.y\\r\\n             | x\\r.y\\r\\n.\\r\\n",
      "a\\r\\n\\r\\n.\\r\\n      | a\\r\\n\\r\\n..\\r\\n.\\r\\n",
      "a\\r                    | a\\r\\r\\n.\\r\\n"})
  void stuffsInAnyChunking(String input, String expected) {
    byte[] in = unescape(input);
    String want = new String(unescape(expected), StandardCharsets.ISO_8859_1);
    assertEquals(want, DotStuffer.stuff(Buffer.buffer(in)).toString(StandardCharsets.ISO_8859_1));
    for (long seed = 0; seed < 50; seed++) {
      DotStuffer stuffer = new DotStuffer();
      Buffer out = Buffer.buffer();
      for (Buffer chunk : Chunks.random(in, new Random(seed))) {
        out.appendBuffer(stuffer.encode(chunk));
      }
      out.appendBuffer(stuffer.finish());
      assertEquals(want, out.toString(StandardCharsets.ISO_8859_1), "seed " + seed);
    }
  }

  /** The rule byte by byte (a dot right after CRLF, or first, is doubled): the oracle for long random content. */
  private static String reference(byte[] in) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < in.length; i++) {
      if (in[i] == '.' && (i == 0 || i >= 2 && in[i - 1] == '\n' && in[i - 2] == '\r')) {
        sb.append('.');
      }
      sb.append((char) (in[i] & 0xff));
    }
    return sb.toString();
  }

  @Test
  void longRandomContentInRandomChunksMatchesTheRule() {
    Random random = new Random(5321);
    byte[] alphabet = {'a', '.', '.', '\r', '\n', '\r', '\n', 'x', (byte) 0xe9};
    for (int n = 0; n < 300; n++) {
      byte[] in = new byte[random.nextInt(300)];
      for (int i = 0; i < in.length; i++) {
        in[i] = alphabet[random.nextInt(alphabet.length)];
      }
      DotStuffer stuffer = new DotStuffer();
      Buffer out = Buffer.buffer();
      for (Buffer chunk : Chunks.random(in, random)) {
        out.appendBuffer(stuffer.encode(chunk));
      }
      String encoded = out.toString(StandardCharsets.ISO_8859_1);
      assertEquals(reference(in), encoded, "case " + n);
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "a\\r\\n.b\\r\\nc.d\\r\\n..\\r\\n | a\\r\\n..b\\r\\nc.d\\r\\n...\\r\\n.\\r\\n",
      ".\\r\\n.\\r\\n.          | ..\\r\\n..\\r\\n..\\r\\n.\\r\\n"})
  void slicesOfALargerBufferAreEncodedFromTheirOwnStart(String input, String expected) {
    byte[] in = unescape(input);
    Buffer whole = Buffer.buffer("xx.\r\n").appendBytes(in).appendString("\r\n.yy"); // bytes around the slice
    String want = new String(unescape(expected), StandardCharsets.ISO_8859_1);
    for (int cut = 0; cut <= in.length; cut++) {
      DotStuffer stuffer = new DotStuffer();
      Buffer out = Buffer.buffer()
          .appendBuffer(stuffer.encode(whole.slice(5, 5 + cut)))
          .appendBuffer(stuffer.encode(whole.slice(5 + cut, 5 + in.length)))
          .appendBuffer(stuffer.finish());
      assertEquals(want, out.toString(StandardCharsets.ISO_8859_1), "cut at " + cut);
    }
  }

  @Test
  void aChunkWithNothingToStuffIsSentAsItIsAndStuffLeavesItsInputAlone() {
    DotStuffer stuffer = new DotStuffer();
    Buffer plain = Buffer.buffer("Subject: x\r\n\r\nno dot. at any line start\r\n");
    assertSame(plain, stuffer.encode(plain), "no copy");
    Buffer dotted = Buffer.buffer(".a\r\n");
    assertNotSame(dotted, stuffer.encode(dotted));
    assertEquals(".a\r\n", dotted.toString(StandardCharsets.ISO_8859_1), "the input is not changed");
    Buffer message = Buffer.buffer("a\r\n");
    assertEquals("a\r\n.\r\n", DotStuffer.stuff(message).toString(StandardCharsets.ISO_8859_1));
    assertEquals("a\r\n", message.toString(StandardCharsets.ISO_8859_1), "stuff() appends to a new buffer");
  }

  private static byte[] unescape(String s) {
    String t = s.strip();
    if (t.equals("~")) {
      return new byte[0];
    }
    return t.replace("\\r", "\r").replace("\\n", "\n").getBytes(StandardCharsets.ISO_8859_1);
  }
}
