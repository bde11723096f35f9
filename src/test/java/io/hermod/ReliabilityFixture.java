package io.hermod;

import io.hermod.testing.ReceivedMessage;
import io.hermod.testing.SmtpLineClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small pieces shared by the reliability tests: one SMTP transaction, bounded waits, Message-IDs. */
final class ReliabilityFixture {

  private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID:\\s*(<[^>\\r\\n]+>)");

  private ReliabilityFixture() {
  }

  /** A small message with a unique Message-ID header; no line starts with a dot. */
  static byte[] message(String messageId, String subject) {
    return ("Message-ID: " + messageId + "\r\nSubject: " + subject + "\r\n\r\n"
        + "a body line long enough that a peer dropping after 100 octets drops in the middle of DATA\r\n"
        + "and a second line, to be sure\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** One transaction in its own session; returns the last line of the reply to the end of data. */
  static String send(int port, String from, String to, byte[] body) throws IOException {
    try (SmtpLineClient c = SmtpLineClient.connect("127.0.0.1", port)) {
      c.expect(220);
      c.send("EHLO client.test").expect(250);
      c.send("MAIL FROM:<" + from + ">").expect(250);
      c.send("RCPT TO:<" + to + ">").expect(250);
      c.send("DATA").expect(354);
      c.sendRaw(body);
      c.sendRaw(".\r\n".getBytes(StandardCharsets.US_ASCII));
      String reply = c.readReply();
      c.send("QUIT");
      return reply;
    }
  }

  /** As {@link #send} but the reply must be 250; returns the queue id. */
  static String sendAccepted(int port, String from, String to, byte[] body) throws IOException {
    String reply = send(port, from, to, body);
    if (reply == null || !reply.startsWith("250 ")) {
      throw new AssertionError("end of data not accepted: " + reply);
    }
    return reply.substring(reply.lastIndexOf(' ') + 1);
  }

  /** The Message-ID header of a message the peer received, or null. */
  static String messageId(ReceivedMessage m) {
    Matcher matcher = MESSAGE_ID.matcher(m.content().toString(StandardCharsets.ISO_8859_1));
    return matcher.find() ? matcher.group(1) : null;
  }

  static void waitUntil(BooleanSupplier condition, String what, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
      }
      Thread.sleep(25);
    }
  }
}
