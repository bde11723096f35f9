package io.hermod.smtp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the outbound client's reading of a remote server: {@link ReplyParser} on arbitrary bytes cut at
 * arbitrary points, then {@link EhloCapabilities} on every reply it completes. A hostile server may send
 * anything; the only failure allowed is {@link SmtpProtocolException}. Seeds: the server side of the
 * dialogue transcripts and the reply parser tests.
 */
class ReplyParserFuzzTest {

  private static final int MAX_LINE = 64; // small, so the fuzzer reaches the limits cheaply
  private static final int MAX_LINES = 8;

  /** The replies completed before the stream ended or broke, and whether it broke. */
  private record Outcome(List<ServerReply> replies, boolean failed) {
  }

  @FuzzTest(maxDuration = "60s")
  void feed(byte[] data) {
    Outcome expected = null;
    for (List<Buffer> cutting : Chunks.cuttings(data)) {
      Outcome got = parse(cutting);
      if (expected == null) {
        expected = got;
      } else {
        assertEquals(expected, got, "reply parsing depends on where the reads end");
      }
    }
    for (ServerReply reply : expected.replies()) {
      checkReply(reply);
    }
  }

  private static Outcome parse(List<Buffer> chunks) {
    ReplyParser parser = new ReplyParser(MAX_LINE, MAX_LINES);
    List<ServerReply> replies = new ArrayList<>();
    try {
      for (Buffer chunk : chunks) {
        replies.addAll(parser.feed(chunk)); // anything but SmtpProtocolException fails the test
      }
      parser.feed(new byte[0]); // a failure after replies completed in the same read shows on the next feed
    } catch (SmtpProtocolException e) {
      return new Outcome(replies, true);
    }
    return new Outcome(replies, false);
  }

  private static void checkReply(ServerReply reply) {
    assertTrue(reply.code() >= 200 && reply.code() <= 599, reply::toString);
    assertTrue(!reply.lines().isEmpty() && reply.lines().size() <= MAX_LINES, reply::toString);
    reply.text();
    reply.toString();
    EhloCapabilities caps = EhloCapabilities.parse(reply);
    assertTrue(caps.sizeLimit() >= EhloCapabilities.NO_SIZE, "negative SIZE");
    caps.pipelining();
    caps.startTls();
    caps.chunking();
    caps.dsn();
    caps.smtpUtf8();
    caps.eightBitMime();
    caps.enhancedStatusCodes();
  }
}
