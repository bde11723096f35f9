package io.hermod.smtp;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplyParserTest {

  static Stream<Arguments> replies() {
    return Stream.of(
        Arguments.of("220 mx.test ESMTP\r\n", List.of("220|null|mx.test ESMTP")),
        Arguments.of("250-mx.test\r\n250-PIPELINING\r\n250 SIZE 1000\r\n",
            List.of("250|null|mx.test,PIPELINING,SIZE 1000")),
        Arguments.of("550 5.1.1 no such user\r\n", List.of("550|5.1.1|5.1.1 no such user")),
        Arguments.of("451 4.3.0 first\r\n250 2.1.5 ok\r\n", List.of("451|4.3.0|4.3.0 first", "250|2.1.5|2.1.5 ok")),
        Arguments.of("250\r\n", List.of("250|null|")),
        Arguments.of("354 go ahead\n", List.of("354|null|go ahead")),                 // bare LF tolerated
        Arguments.of("550 2.1.1 class mismatch\r\n", List.of("550|null|2.1.1 class mismatch")),
        Arguments.of("552-5.3.4 too\r\n552 5.3.4 big\r\n", List.of("552|5.3.4|5.3.4 too,5.3.4 big")),
        Arguments.of("250 2.0.0\r\n", List.of("250|2.0.0|2.0.0")),
        Arguments.of("250 ok caf\u00e9\r\n", List.of("250|null|ok caf\u00e9")));
  }

  @ParameterizedTest
  @MethodSource("replies")
  void parsesWholeAndInRandomChunks(String wire, List<String> expected) throws Exception {
    byte[] bytes = wire.getBytes(StandardCharsets.UTF_8);
    assertEquals(expected, describe(new ReplyParser().feed(bytes)));
    for (long seed = 0; seed < 50; seed++) {
      ReplyParser parser = new ReplyParser();
      List<ServerReply> got = new ArrayList<>();
      for (Buffer chunk : Chunks.random(bytes, new Random(seed))) {
        got.addAll(parser.feed(chunk));
      }
      assertEquals(expected, describe(got), "seed " + seed);
      assertTrue(parser.isIdle());
    }
  }

  static Stream<String> malformed() {
    return Stream.of("hello\r\n", "25\r\n", "2500 x\r\n", "250x\r\n", "250-a\r\n251 b\r\n", "650 no\r\n",
        "099 no\r\n", "\r\n");
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void rejectsMalformed(String wire) {
    ReplyParser parser = new ReplyParser();
    assertThrows(SmtpProtocolException.class, () -> parser.feed(wire.getBytes(StandardCharsets.US_ASCII)));
    // Once broken it stays broken.
    assertThrows(SmtpProtocolException.class, () -> parser.feed("250 ok\r\n".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void boundsLineLength() throws Exception {
    ReplyParser parser = new ReplyParser(600, 10);
    parser.feed(("250 " + "x".repeat(590) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    assertThrows(SmtpProtocolException.class, () -> parser.feed(("250 " + "x".repeat(700)).getBytes(
        StandardCharsets.US_ASCII)));
  }

  @Test
  void boundsLinesPerReply() throws Exception {
    ReplyParser parser = new ReplyParser(600, 3);
    assertTrue(parser.feed("250-a\r\n250-b\r\n".getBytes(StandardCharsets.US_ASCII)).isEmpty());
    assertFalse(parser.isIdle());
    assertThrows(SmtpProtocolException.class, () -> parser.feed("250-c\r\n250 d\r\n".getBytes(
        StandardCharsets.US_ASCII)));
  }

  @Test
  void replyHelpers() {
    ServerReply r = ServerReply.of(550, List.of("5.1.1 no such", "5.1.1 user"));
    assertEquals("5.1.1", r.enhancedStatus());
    assertTrue(r.isPermanent());
    assertFalse(r.isTransient());
    assertFalse(r.isPositive());
    assertEquals("no such user", r.text());
    assertEquals("550 5.1.1 no such user", r.toString());
    ServerReply t = ServerReply.of(421, List.of("mx.test closing"));
    assertNull(t.enhancedStatus());
    assertTrue(t.isTransient());
    assertEquals("421 mx.test closing", t.toString());
    assertTrue(ServerReply.of(354, List.of("go")).isPositive());
    assertEquals("552 5.3.4 too big", ServerReply.local(552, "5.3.4", "too big").toString());
  }

  private static List<String> describe(List<ServerReply> replies) {
    List<String> out = new ArrayList<>();
    for (ServerReply r : replies) {
      out.add(r.code() + "|" + r.enhancedStatus() + "|" + String.join(",", r.lines()));
    }
    return out;
  }

  /** Found by ReplyParserFuzzTest: garbage after a complete reply in the same read used to lose that reply. */
  @Test
  void replyBeforeGarbageInTheSameReadIsKept() throws SmtpProtocolException {
    ReplyParser parser = new ReplyParser();
    List<ServerReply> got = parser.feed("250 2.0.0 queued\r\nnonsense\r\n".getBytes(StandardCharsets.US_ASCII));
    assertEquals(List.of("250|2.0.0|2.0.0 queued"), describe(got));
    assertThrows(SmtpProtocolException.class, () -> parser.feed(new byte[0]));
  }
}
