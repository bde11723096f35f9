package io.hermod.smtp;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * DATA transparency and the smuggling variants, each fed whole and in random chunk splits: the outcome
 * must not depend on how TCP cut the bytes.
 */
class DotDecoderTest {

  /** Escapes: \r \n. Columns: wire bytes, decoded content, ended?, bare CR/LF seen?, bytes left after end. */
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "Subject: x\\r\\n\\r\\nbody\\r\\n.\\r\\n          | Subject: x\\r\\n\\r\\nbody\\r\\n | true  | false | ``",
      ".\\r\\n                                           | ``                             | true  | false | ``",
      "..leading\\r\\n.\\r\\n                            | .leading\\r\\n                 | true  | false | ``",
      "...\\r\\n.\\r\\n                                  | ..\\r\\n                       | true  | false | ``",
      ".x\\r\\n.\\r\\n                                   | x\\r\\n                        | true  | false | ``",
      "a\\r\\n.\\r\\nQUIT\\r\\n                          | a\\r\\n                        | true  | false | QUIT\\r\\n",
      "a\\r\\n. \\r\\n.\\r\\n                            | a\\r\\n \\r\\n                  | true  | false | ``",
      "no end yet\\r\\n.                                | no end yet\\r\\n               | false | false | ``",
      // SMTP smuggling (CVE-2023-51764): none of these ends the data; all carry a bare CR or LF
      "a\\n.\\nMAIL FROM:<x@y>\\r\\n.\\r\\n               | a\\n.\\nMAIL FROM:<x@y>\\r\\n     | true  | true  | ``",
      "a\\r.\\r\\nMAIL FROM:<x@y>\\r\\n.\\r\\n            | a\\r.\\r\\nMAIL FROM:<x@y>\\r\\n  | true  | true  | ``",
      "a\\n.\\r\\nMAIL FROM:<x@y>\\r\\n.\\r\\n            | a\\n.\\r\\nMAIL FROM:<x@y>\\r\\n  | true  | true  | ``",
      "a\\r\\n.\\nMAIL FROM:<x@y>\\r\\n.\\r\\n            | a\\r\\n\\nMAIL FROM:<x@y>\\r\\n   | true  | true  | ``",
      "a\\r\\r\\n.\\r\\n                                 | a\\r\\r\\n                     | true  | true  | ``",
      ".\\rx\\r\\n.\\r\\n                                | \\rx\\r\\n                      | true  | true  | ``",
  })
  void decodes(String wireEsc, String contentEsc, boolean ended, boolean bare, String restEsc) {
    byte[] wire = unescape(wireEsc.strip()).getBytes();
    String expected = unescape(contentEsc.strip());
    for (int seed = 0; seed < 40; seed++) {
      Random random = new Random(seed);
      ContentScanner scanner = new ContentScanner(1 << 20, 1000, 1 << 20);
      DataReads decoder = new DataReads(scanner);
      int pos = 0;
      int consumedEnd = -1;
      while (pos < wire.length) {
        int n = seed == 0 ? wire.length : 1 + random.nextInt(Math.max(1, Math.min(7, wire.length - pos)));
        n = Math.min(n, wire.length - pos);
        Buffer chunk = Buffer.buffer().appendBytes(wire, pos, n);
        int used = decoder.read(chunk);
        if (decoder.ended()) {
          consumedEnd = pos + used;
          break;
        }
        pos += n;
      }
      if (decoder.ended()) {
        scanner.finish();
      }
      assertEquals(expected, new String(decoder.content()), "content, seed " + seed);
      assertEquals(ended, decoder.ended(), "ended, seed " + seed);
      if (ended) {
        assertEquals(unescape(restEsc.strip()), new String(wire, consumedEnd, wire.length - consumedEnd),
            "bytes after the end, seed " + seed);
        assertEquals(bare, scanner.bareNewline(), "bare newline, seed " + seed);
      }
    }
  }

  static String unescape(String s) {
    return s.replace("\\r", "\r").replace("\\n", "\n");
  }
}
