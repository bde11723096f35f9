package io.hermod.ops;

import io.hermod.testing.SmtpLineClient;
import io.hermod.testing.TestHermod;

import java.io.IOException;

/** Sends one small message through a TestHermod listener; returns its queue id. */
final class Mail {

  private Mail() {
  }

  static String send(TestHermod h, String from, String to) throws IOException {
    return sendWith(h, "<" + from + ">", "<" + to + ">");
  }

  /** With the MAIL FROM and RCPT TO arguments as given: a path plus parameters (e.g. NOTIFY=NEVER). */
  static String sendWith(TestHermod h, String mailFrom, String rcptTo) throws IOException {
    try (SmtpLineClient c = SmtpLineClient.connect("127.0.0.1", h.port())) {
      c.expect(220);
      c.send("EHLO client.example").expect(250);
      c.send("MAIL FROM:" + mailFrom).expect(250);
      c.send("RCPT TO:" + rcptTo).expect(250);
      c.send("DATA").expect(354);
      c.send("Subject: ops test\r\n\r\nhello\r\n.");
      String reply = c.expect(250);
      c.send("QUIT").expect(221);
      return reply.substring(reply.lastIndexOf(' ') + 1).trim();
    }
  }
}
