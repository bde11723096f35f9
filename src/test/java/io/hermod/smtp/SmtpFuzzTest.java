package io.hermod.smtp;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random round trips with an independent oracle, thousands of runs on every build (the Jazzer fuzz tests
 * only replay their seeds there): replies we render must parse back to exactly themselves however the reads
 * fall, also when garbage follows them; stuffed content must unstuff (by a strict receiver written here) to
 * the original.
 */
class SmtpFuzzTest {

  private static final byte[] ALPHABET = {'.', '.', '\r', '\n', '\r', '\n', 'a', ' ', '-', '2', '5', '0', (byte) 0xe9};
  private static final String TEXT = "abcXYZ 019.-_:;<>@[]()=+/\\\t\u00e9\u4e2d";
  private static final int MAX_LINE = 600;
  private static final int MAX_LINES = 5;

  private static byte[] randomBytes(Random r, int max) {
    byte[] b = new byte[r.nextInt(max)];
    for (int i = 0; i < b.length; i++) {
      b[i] = ALPHABET[r.nextInt(ALPHABET.length)];
    }
    return b;
  }

  /** A well-formed reply: code 200..599, 1..MAX_LINES lines, sometimes an enhanced status of its class. */
  private static ServerReply randomReply(Random r) {
    int code = (2 + r.nextInt(4)) * 100 + r.nextInt(6) * 10 + r.nextInt(10);
    List<String> lines = new ArrayList<>();
    int count = 1 + r.nextInt(MAX_LINES);
    for (int i = 0; i < count; i++) {
      StringBuilder text = new StringBuilder();
      if (i == 0 && r.nextBoolean()) {
        text.append(r.nextInt(10) == 0 ? 2 + r.nextInt(4) : code / 100).append('.').append(r.nextInt(8))
            .append('.').append(r.nextInt(30)).append(' ');
      }
      int length = r.nextInt(40);
      for (int j = 0; j < length; j++) {
        text.append(TEXT.charAt(r.nextInt(TEXT.length())));
      }
      lines.add(text.toString());
    }
    return ServerReply.of(code, lines);
  }

  /** RFC 5321 §4.2.1: "code-text" on every line but the last, "code text" (or a bare code) on the last. */
  private static byte[] render(ServerReply reply, Random r) {
    StringBuilder wire = new StringBuilder();
    for (int i = 0; i < reply.lines().size(); i++) {
      String text = reply.lines().get(i);
      boolean last = i == reply.lines().size() - 1;
      wire.append(reply.code());
      if (!last) {
        wire.append('-').append(text);
      } else if (!text.isEmpty() || r.nextBoolean()) {
        wire.append(' ').append(text);
      }
      wire.append("\r\n");
    }
    return wire.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code count} random replies, rendered one after the other onto {@code wire}. */
  private static List<ServerReply> randomReplies(Random r, int count, ByteArrayOutputStream wire) {
    List<ServerReply> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ServerReply reply = randomReply(r);
      sent.add(reply);
      wire.writeBytes(render(reply, r));
    }
    return sent;
  }

  /** Feeds {@code wire} to {@code parser} in reads cut at random, adding the replies it completes to {@code parsed}. */
  private static void feedInRandomReads(ReplyParser parser, byte[] wire, Random r, List<ServerReply> parsed)
      throws SmtpProtocolException {
    for (Buffer chunk : Chunks.random(wire, r)) {
      parsed.addAll(parser.feed(chunk));
    }
  }

  @Test
  void renderedRepliesParseBackToThemselvesHoweverTheReadsFall() throws Exception {
    Random r = new Random(42);
    for (int run = 0; run < 5_000; run++) {
      ByteArrayOutputStream wire = new ByteArrayOutputStream();
      List<ServerReply> sent = randomReplies(r, 1 + r.nextInt(4), wire);
      ReplyParser parser = new ReplyParser(MAX_LINE, MAX_LINES);
      List<ServerReply> parsed = new ArrayList<>();
      feedInRandomReads(parser, wire.toByteArray(), r, parsed);
      assertEquals(sent, parsed, "run " + run);
      assertTrue(parser.isIdle(), "run " + run + ": bytes left over");
    }
  }

  /**
   * Garbage after whole replies (a hostile or broken server): the replies before it are all returned, in
   * order, whatever else happens; the only failure allowed is SmtpProtocolException.
   */
  @Test
  void repliesBeforeGarbageAreNeverLost() throws Exception {
    Random r = new Random(43);
    for (int run = 0; run < 5_000; run++) {
      ByteArrayOutputStream wire = new ByteArrayOutputStream();
      List<ServerReply> sent = randomReplies(r, 1 + r.nextInt(3), wire);
      wire.write(randomBytes(r, 400));
      ReplyParser parser = new ReplyParser(MAX_LINE, MAX_LINES);
      List<ServerReply> parsed = new ArrayList<>();
      try {
        feedInRandomReads(parser, wire.toByteArray(), r, parsed);
        parser.feed(new byte[0]);
      } catch (SmtpProtocolException expected) {
        // the garbage was malformed: fine, once the replies before it were returned
      }
      assertTrue(parsed.size() >= sent.size(), "run " + run + ": replies lost: sent " + sent + ", parsed " + parsed);
      assertEquals(sent, parsed.subList(0, sent.size()), "run " + run);
    }
  }

  @Test
  void stuffedContentUnstuffsToTheOriginal() {
    Random r = new Random(7);
    for (int run = 0; run < 5_000; run++) {
      // Spooled content never has a bare CR or LF, so build it from CRLF lines.
      byte[] content = randomBytes(r, 300);
      content = new String(content, java.nio.charset.StandardCharsets.ISO_8859_1).replace("\r", "").replace("\n", "\r\n")
          .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      DotStuffer stuffer = new DotStuffer();
      Buffer wire = Buffer.buffer();
      for (Buffer chunk : Chunks.random(content, r)) {
        wire.appendBuffer(stuffer.encode(chunk));
      }
      wire.appendBuffer(stuffer.finish());
      byte[] expected = content;
      if (content.length > 0 && !endsWithCrlf(content)) {
        expected = Buffer.buffer(content).appendString("\r\n").getBytes();
      }
      assertArrayEquals(expected, unstuff(wire.getBytes()), "run " + run);
    }
  }

  private static boolean endsWithCrlf(byte[] b) {
    return b.length >= 2 && b[b.length - 2] == '\r' && b[b.length - 1] == '\n';
  }

  /** A strict receiver (RFC 5321 §4.5.2): CRLF lines, "." alone ends, a leading dot is removed. */
  private static byte[] unstuff(byte[] wire) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int start = 0;
    for (int i = 0; i + 1 < wire.length; i++) {
      if (wire[i] == '\r' && wire[i + 1] == '\n') {
        int len = i - start;
        if (len == 1 && wire[start] == '.') {
          if (i + 2 != wire.length) {
            throw new AssertionError("end marker before the end");
          }
          return out.toByteArray();
        }
        int from = len > 0 && wire[start] == '.' ? start + 1 : start;
        out.write(wire, from, i + 2 - from);
        start = i + 2;
        i++;
      }
    }
    throw new AssertionError("no end marker");
  }
}
