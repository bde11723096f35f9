package io.hermod.smtp;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

  private static byte[] unescape(String s) {
    String t = s.strip();
    if (t.equals("~")) {
      return new byte[0];
    }
    return t.replace("\\r", "\r").replace("\\n", "\n").getBytes(StandardCharsets.ISO_8859_1);
  }
}
