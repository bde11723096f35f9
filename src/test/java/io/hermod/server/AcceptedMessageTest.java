package io.hermod.server;

import io.hermod.smtp.DsnNotify;
import io.hermod.smtp.DsnRet;
import io.hermod.smtp.BodyType;
import io.hermod.spool.Envelope;
import io.hermod.spool.Recipient;
import io.hermod.spool.Spool;
import io.hermod.testing.SmtpLineClient;
import io.hermod.testing.TestHermod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the listener stores: the exact bytes (after our Received header) and the whole envelope. */
class AcceptedMessageTest {

  @TempDir
  Path temp;

  @Test
  void storesDotUnstuffedBytesAndTheEnvelope() throws Exception {
    try (TestHermod h = TestHermod.start(temp, new JsonObject());
         SmtpLineClient c = SmtpLineClient.connect("127.0.0.1", h.port())) {
      c.expect(220);
      c.send("EHLO client.example").expect(250);
      c.send("MAIL FROM:<alice@client.example> RET=HDRS ENVID=QQ+2B314159 BODY=8BITMIME").expect(250);
      c.send("RCPT TO:<bob@local.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob+2Bx@local.test").expect(250);
      c.send("RCPT TO:<carol@local.test>").expect(250);
      c.send("DATA").expect(354);
      byte[] wire = "Subject: t\r\n\r\n..dot\r\nline \u00e9\r\n.\r\n".getBytes(StandardCharsets.UTF_8);
      c.sendRaw(wire);
      String reply = c.expect(250);
      String id = reply.substring(reply.lastIndexOf(' ') + 1);

      Spool spool = h.hermod.spool();
      Envelope env = spool.load(id).await();
      assertEquals("alice@client.example", env.sender());
      assertEquals("QQ+314159", env.envid());
      assertEquals(DsnRet.HDRS, env.ret());
      assertEquals(BodyType.EIGHT_BIT_MIME, env.body());
      assertEquals("127.0.0.1", env.clientAddress());
      assertEquals("client.example", env.clientHelo());
      assertEquals("mx", env.listener());
      assertFalse(env.smtpUtf8());
      assertEquals(2, env.recipients().size());
      Recipient bob = env.recipients().get(0);
      assertEquals("bob@local.test", bob.address());
      assertEquals("rfc822;bob+x@local.test", bob.orcpt());
      assertEquals(EnumSet.of(DsnNotify.SUCCESS, DsnNotify.FAILURE), bob.notifyOn());
      assertTrue(env.recipients().get(1).notifyOn().isEmpty());
      assertNull(env.recipients().get(1).orcpt());

      Spool.Content content = spool.content(id).await();
      byte[] all = Files.readAllBytes(content.file());
      byte[] stored = Arrays.copyOfRange(all, (int) content.offset(), (int) (content.offset() + content.length()));
      String text = new String(stored, StandardCharsets.UTF_8);
      assertTrue(text.startsWith("Received: from client.example ([127.0.0.1])\r\n\tby mx.hermod.test (Hermod) with ESMTP id " + id + "\r\n\t; "), text);
      byte[] body = "Subject: t\r\n\r\n.dot\r\nline \u00e9\r\n".getBytes(StandardCharsets.UTF_8);
      assertArrayEquals(body, Arrays.copyOfRange(stored, stored.length - body.length, stored.length));
      assertEquals(env.size(), content.length());
    }
  }

  /**
   * The content is spooled without copies (views of the session's input, kept until the commit): messages of
   * 1 KiB, 40 KiB (journal) and 300 KiB (own file) in one session, full of dot-stuffed lines, sent in odd-sized
   * writes, come out of the spool exactly as the client's content after our Received field.
   */
  @Test
  void storesExactlyTheDecodedContentOfMessagesSentInOddPieces() throws Exception {
    java.util.Random random = new java.util.Random(5);
    try (TestHermod h = TestHermod.start(temp, new JsonObject());
         SmtpLineClient c = SmtpLineClient.connect("127.0.0.1", h.port())) {
      c.expect(220);
      c.send("EHLO client.example").expect(250);
      for (int size : new int[] {1024, 40 * 1024, 300 * 1024}) {
        byte[] content = dottedContent(random, size);
        c.send("MAIL FROM:<alice@client.example>").expect(250);
        c.send("RCPT TO:<bob@local.test>").expect(250);
        c.send("DATA").expect(354);
        byte[] wire = io.hermod.smtp.DotStuffer.stuff(io.vertx.core.buffer.Buffer.buffer(content)).getBytes();
        for (int pos = 0; pos < wire.length; ) {
          int n = Math.min(wire.length - pos, 1 + random.nextInt(random.nextBoolean() ? 7 : 9000));
          c.sendRaw(Arrays.copyOfRange(wire, pos, pos + n));
          pos += n;
        }
        String reply = c.expect(250);
        String id = reply.substring(reply.lastIndexOf(' ') + 1);
        Spool.Content stored = h.hermod.spool().content(id).await();
        byte[] all = Files.readAllBytes(stored.file());
        byte[] bytes = Arrays.copyOfRange(all, (int) stored.offset(), (int) (stored.offset() + stored.length()));
        assertArrayEquals(content, Arrays.copyOfRange(bytes, bytes.length - content.length, bytes.length),
            size + " octets");
        assertTrue(new String(bytes, 0, bytes.length - content.length, StandardCharsets.US_ASCII).startsWith("Received: "));
      }
    }
  }

  /** A header section, then CRLF lines of 0 to 300 octets, a third of them starting with a dot. */
  private static byte[] dottedContent(java.util.Random random, int size) {
    StringBuilder s = new StringBuilder("Subject: dots\r\n\r\n");
    while (s.length() < size) {
      if (random.nextInt(3) == 0) {
        s.append('.');
      }
      int n = random.nextInt(300);
      for (int i = 0; i < n; i++) {
        s.append((char) ('a' + random.nextInt(26)));
      }
      s.append("\r\n");
    }
    return s.toString().getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void receivedHeaderCannotBeInjectedThroughHelo() throws Exception {
    try (TestHermod h = TestHermod.start(temp, new JsonObject());
         SmtpLineClient c = SmtpLineClient.connect("127.0.0.1", h.port())) {
      c.expect(220);
      c.send("EHLO evil.test)\tX-Injected:(yes;").expect(501); // a tab is not allowed in the name
      c.send("HELO a(b)c;X-Injected:1").expect(250);
      c.send("MAIL FROM:<a@b.test>").expect(250);
      c.send("RCPT TO:<x@local.test>").expect(250);
      c.send("DATA").expect(354);
      c.sendRaw("\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
      String reply = c.expect(250);
      String id = reply.substring(reply.lastIndexOf(' ') + 1);
      Spool.Content content = h.hermod.spool().content(id).await();
      String stored = Files.readString(content.file(), StandardCharsets.ISO_8859_1);
      assertTrue(stored.contains("Received: from a?b?c?X-Injected:1 ([127.0.0.1])\r\n"), stored);
      assertTrue(stored.contains(" with SMTP id " + id), stored);
      assertTrue(stored.contains("for <x@local.test>;"), stored);
    }
  }
}
