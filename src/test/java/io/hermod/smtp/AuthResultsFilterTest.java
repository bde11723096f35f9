package io.hermod.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Client-sent Authentication-Results fields with our authserv-id are removed, nothing else changes; each
 * case is fed whole, byte by byte and in random cuttings, and must give the same output every time.
 */
class AuthResultsFilterTest {

  static final String US = "mx.hermod.test";
  static final int CAP = AuthResultsFilter.MAX_HELD_BYTES;
  static final String REST = "From: a@example.org\r\nSubject: s\r\n\r\nbody\r\n";

  static Stream<Arguments> cases() {
    return Stream.of(
        // ours, removed
        removed("Authentication-Results: mx.hermod.test; dkim=pass\r\n"),
        removed("Authentication-Results: mx.hermod.test;\r\n\tspf=pass smtp.mailfrom=a@example.org;\r\n"
            + "\tdkim=pass header.d=example.org\r\n"),
        removed("Authentication-Results:mx.hermod.test;dkim=pass\r\n"),
        removed("Authentication-Results: (forged (nested \\) paren)) mx.hermod.test; dkim=pass\r\n"),
        removed("Authentication-Results: (a comment\r\n folded) \r\n mx.hermod.test\r\n ; dkim=pass\r\n"),
        removed("Authentication-Results: mx.hermod.test 1; dkim=pass\r\n"),
        removed("Authentication-Results: mx.hermod.test 1 (version) ; none\r\n"),
        removed("Authentication-Results: mx.hermod.test(comment); none\r\n"),
        removed("AUTHENTICATION-RESULTS: MX.Hermod.TEST; dkim=pass\r\n"),
        removed("authentication-results : mx.hermod.test; dkim=pass\r\n"),
        removed("Authentication-Results: \"mx.hermod.test\"; dkim=pass\r\n"),
        removed("Authentication-Results: \"mx.hermod\\.test\"; dkim=pass\r\n"),
        removed("Authentication-Results: mx.hermod.test.; dkim=pass\r\n"),
        removed("Authentication-Results: mx.hermod.test\r\n"), // no resinfo at all: still claims our id
        removed("Authentication-Results: mx.hermod.test/x; dkim=pass\r\n"), // the first token is ours
        // others', kept
        kept("Authentication-Results: other.example; dkim=pass\r\n"),
        kept("Authentication-Results: mx.hermod.test.evil; dkim=pass\r\n"),
        kept("Authentication-Results: evil.mx.hermod.test; dkim=pass\r\n"),
        kept("Authentication-Results: mx.hermod.tes; dkim=pass\r\n"),
        kept("Authentication-Results: mx.hermod.test..; dkim=pass\r\n"),
        kept("Authentication-Results: other.example; dkim=pass (mx.hermod.test)\r\n"),
        kept("Authentication-Results: (mx.hermod.test) other.example; dkim=pass\r\n"),
        kept("Authentication-Results: \"mx.hermod.test \"; dkim=pass\r\n"),
        kept("Authentication-Results: ; none\r\n"),
        kept("Authentication-Results-Extra: mx.hermod.test; dkim=pass\r\n"),
        kept("X-Authentication-Results: mx.hermod.test; dkim=pass\r\n"),
        kept("Authentication-Result: mx.hermod.test; dkim=pass\r\n"),
        kept("Authentication-Results\r\n"),
        kept("Received: by mx.hermod.test; Sat, 1 Mar 2025 10:00:00 +0000\r\n"),
        // several fields: only ours go, the others stay in place, byte for byte
        Arguments.of("Received: from a\r\nAuthentication-Results: other.example;\r\n spf=pass\r\n"
                + "Authentication-Results: mx.hermod.test; dkim=pass\r\nX-Y: z\r\n"
                + "authentication-results: MX.HERMOD.TEST 1;\r\n\tdkim=pass\r\n"
                + "Authentication-Results: third.example; none\r\n" + REST,
            "Received: from a\r\nAuthentication-Results: other.example;\r\n spf=pass\r\nX-Y: z\r\n"
                + "Authentication-Results: third.example; none\r\n" + REST, 2),
        Arguments.of("Authentication-Results: mx.hermod.test; a=pass\r\n"
            + "Authentication-Results: mx.hermod.test; b=pass\r\n"
            + REST, REST, 2),
        // the body is never looked at
        Arguments.of("Subject: s\r\n\r\nAuthentication-Results: mx.hermod.test; dkim=pass\r\n",
            "Subject: s\r\n\r\nAuthentication-Results: mx.hermod.test; dkim=pass\r\n", 0),
        Arguments.of("\r\nAuthentication-Results: mx.hermod.test; dkim=pass\r\n",
            "\r\nAuthentication-Results: mx.hermod.test; dkim=pass\r\n", 0),
        // a header section without a body, with or without its last CRLF (BDAT need not end in one)
        Arguments.of("Subject: s\r\nAuthentication-Results: mx.hermod.test; dkim=pass\r\n", "Subject: s\r\n", 1),
        Arguments.of("Subject: s\r\nAuthentication-Results: mx.hermod.test", "Subject: s\r\n", 1),
        Arguments.of("Subject: s\r\nAuthentication-Results: (unclosed",
            "Subject: s\r\nAuthentication-Results: (unclosed", 0),
        Arguments.of("Subject: s\r\nAuthentication-Res", "Subject: s\r\nAuthentication-Res", 0),
        Arguments.of("", "", 0),
        // a continuation line before any field passes; 8-bit bytes are never our id
        Arguments.of(" odd\r\n" + REST, " odd\r\n" + REST, 0),
        kept("Authentication-Results: m\u00e9x.hermod.test; dkim=pass\r\n"),
        // the id found only after the cap on held bytes: dropped (fail closed); just under it: read as usual
        Arguments.of("Authentication-Results: " + foldedComment(CAP) + " other.example; none\r\n" + REST, REST, 1),
        kept("Authentication-Results: " + foldedComment(CAP - 200) + " other.example; none\r\n"),
        removed("Authentication-Results: " + foldedComment(CAP - 200) + " mx.hermod.test; none\r\n"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("cases")
  void filters(String input, String expected, int removed) {
    byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
    List<List<Buffer>> cuttings = new ArrayList<>(Chunks.cuttings(bytes));
    for (int seed = 0; seed < 20; seed++) {
      cuttings.add(Chunks.random(bytes, new Random(seed)));
    }
    for (List<Buffer> chunks : cuttings) {
      AuthResultsFilter filter = new AuthResultsFilter(US);
      Buffer out = Buffer.buffer();
      for (Buffer chunk : chunks) {
        out.appendBuffer(filter.filter(chunk));
      }
      out.appendBuffer(filter.finish());
      assertEquals(expected, out.toString(StandardCharsets.UTF_8), "cut in " + chunks.size() + " chunks");
      assertEquals(removed, filter.removed());
    }
  }

  @Test
  void theBodyPassesAsTheSameBuffer() {
    AuthResultsFilter filter = new AuthResultsFilter(US);
    assertEquals("Subject: s\r\n\r\nb", filter.filter(Buffer.buffer("Subject: s\r\n\r\nb")).toString());
    Buffer body = Buffer.buffer("Authentication-Results: mx.hermod.test; dkim=pass\r\n");
    assertEquals(true, filter.filter(body) == body, "no copy once the header section is over");
  }

  @Test
  void ourIdWithATrailingDotInTheConfigurationMatchesToo() {
    AuthResultsFilter filter = new AuthResultsFilter("MX.hermod.test.");
    Buffer in = Buffer.buffer("Authentication-Results: mx.hermod.test; none\r\n" + REST);
    assertEquals(REST, filter.filter(in).toString());
  }

  private static Arguments removed(String field) {
    return Arguments.of(field + REST, REST, 1);
  }

  private static Arguments kept(String field) {
    return Arguments.of(field + REST, field + REST, 0);
  }

  /** A comment of about {@code size} bytes folded into lines of 80. */
  private static String foldedComment(int size) {
    StringBuilder sb = new StringBuilder("(");
    while (sb.length() < size) {
      sb.append("x".repeat(76)).append("\r\n ");
    }
    return sb.append(')').toString();
  }
}
