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
    return SmtpLineClient.transaction(port, from, "", to, message);
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
