package io.hermod.local;

import io.hermod.spool.Spool;
import io.hermod.testing.SmtpLineClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Test helpers for local delivery: submit over SMTP, wait for a condition, read Maildir folders. */
final class LocalMail {

  private LocalMail() {
  }

  /** One transaction over a real socket; returns the queue id from the 250 reply. */
  static String send(int port, String from, List<String> to, byte[] message) throws IOException {
    try (SmtpLineClient c = SmtpLineClient.connect("127.0.0.1", port)) {
      c.expect(220);
      c.send("EHLO client.test").expect(250);
      c.send("MAIL FROM:<" + from + ">").expect(250);
      for (String rcpt : to) {
        c.send("RCPT TO:<" + rcpt + ">").expect(250);
      }
      c.send("DATA").expect(354);
      c.sendRaw(dotStuffed(message));
      c.sendRaw(".\r\n".getBytes(StandardCharsets.US_ASCII));
      String reply = c.expect(250);
      c.send("QUIT").expect(221);
      return reply.substring(reply.lastIndexOf(' ') + 1);
    }
  }

  private static byte[] dotStuffed(byte[] message) {
    String s = new String(message, StandardCharsets.ISO_8859_1);
    return (s.startsWith(".") ? "." : "").concat(s.replace("\r\n.", "\r\n.."))
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  static int queued(Spool spool) {
    return spool.list().await().size();
  }

  /** The files in a folder (none if it does not exist). */
  static List<Path> files(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The message without its leading Received fields (with their continuation lines). */
  static String withoutReceived(String message) {
    String rest = message;
    while (rest.startsWith("Received: ")) {
      int end = rest.indexOf("\r\n");
      while (rest.startsWith("\t", end + 2)) {
        end = rest.indexOf("\r\n", end + 2);
      }
      rest = rest.substring(end + 2);
    }
    return rest;
  }

  static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
