package io.hermod;

import io.hermod.api.Addresses;
import io.hermod.spool.Envelope;
import io.hermod.spool.Spool;
import io.hermod.testing.Ports;
import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.SmtpLineClient;
import io.hermod.testing.TestDnsServer;
import io.hermod.testing.TestHermod;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A message travels listener → spool → router (MX from a real DNS server) → delivery → a real next hop:
 * a second Hermod, or Postfix's smtp-sink. Failures end in an RFC 3464 bounce.
 */
class EndToEndTest {

  @TempDir
  Path temp;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void relaysToASecondHermodByteExact() throws Exception {
    try (TestHermod b = TestHermod.start(temp.resolve("b"), new JsonObject()
        .put("hostname", "mx.remote.test").put("localDomains", new JsonArray().add("remote.test")))) {
      TestDnsServer dns = TestDnsServer.start(b.vertx).await()
          .mx("remote.test", 10, "mx.remote.test").a("mx.remote.test", "127.0.0.1");
      try (TestHermod a = TestHermod.start(temp.resolve("a"), new JsonObject()
          .put("dns", new JsonObject().put("resolvers", new JsonArray().add("127.0.0.1:" + dns.address().getPort())))
          .put("routing", new JsonObject().put("deliveryPort", b.port())))) {
        List<JsonObject> events = new CopyOnWriteArrayList<>();
        a.vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> events.add(m.body()));

        byte[] original = ("From: app@local.test\r\nTo: bob@remote.test\r\nSubject: end to end\r\n\r\n"
            + "line one\r\n.starts with a dot\r\n\u00e9t\u00e9 8-bit\r\n").getBytes(StandardCharsets.UTF_8);
        String idA = send(a.port(), "app@local.test", "bob@remote.test", original, "BODY=8BITMIME");

        waitUntil(() -> count(b.hermod.spool()) == 1 && count(a.hermod.spool()) == 0, "relay to B");
        String idB = b.hermod.spool().list().await().get(0);
        Envelope envB = b.hermod.spool().load(idB).await();
        assertEquals("app@local.test", envB.sender());
        assertEquals("bob@remote.test", envB.recipients().get(0).address());
        String stored = content(b.hermod.spool(), idB);
        // B's Received header, then A's, then the original bytes exactly.
        assertTrue(stored.startsWith("Received: from mx.hermod.test ([127.0.0.1])\r\n\tby mx.remote.test"), stored);
        int aReceived = stored.indexOf("Received: from client.test ([127.0.0.1])\r\n\tby mx.hermod.test (Hermod) with ESMTP id " + idA);
        assertTrue(aReceived > 0, stored);
        assertArrayEquals(original, withoutReceivedFields(stored).getBytes(StandardCharsets.ISO_8859_1));

        waitUntil(() -> !events.isEmpty(), "delivery event");
        JsonObject event = events.get(0);
        assertEquals(idA, event.getString("queueId"));
        assertEquals("delivered", event.getString("outcome"));
        assertEquals("bob@remote.test", event.getString("recipient"));
        assertEquals("mx.remote.test", event.getString("remoteHost"));
        assertEquals(250, event.getInteger("code"));
        dns.close().await();
      }
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void smtpSourceThroughHermodIntoSmtpSink() throws Exception {
    // smtp-sink writes as nobody, who cannot enter JUnit's private temp folder: use a world-writable one.
    Path dumps = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "hermod-sink");
    Files.setPosixFilePermissions(dumps, PosixFilePermissions.fromString("rwxrwxrwx"));
    int sinkPort = Ports.free();
    Process sink = new ProcessBuilder("/usr/sbin/smtp-sink", "-u", "nobody", "-d", dumps + "/%H%M%S.",
        "127.0.0.1:" + sinkPort, "64").redirectErrorStream(true).start();
    try (TestHermod a = TestHermod.start(temp.resolve("a"), new JsonObject()
        .put("routing", new JsonObject().put("routes", new JsonObject().put("sink.test", "[127.0.0.1]:" + sinkPort))))) {
      awaitListening(sinkPort);
      Process source = new ProcessBuilder("/usr/sbin/smtp-source", "-s", "5", "-m", "50", "-l", "2048", "-d",
          "-f", "load@local.test", "-t", "u@sink.test", "127.0.0.1:" + a.port()).redirectErrorStream(true).start();
      String out = new String(source.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(source.waitFor(60, TimeUnit.SECONDS), "smtp-source did not finish");
      assertEquals(0, source.exitValue(), out);
      waitUntil(() -> fileCount(dumps) == 50 && count(a.hermod.spool()) == 0, "50 messages at the sink");
      try (Stream<Path> files = Files.list(dumps)) {
        Path one = files.findFirst().orElseThrow();
        String dumped = Files.readString(one, StandardCharsets.ISO_8859_1);
        assertTrue(dumped.contains("X-Mail-Args: <load@local.test>"), dumped);
        assertTrue(dumped.contains("by mx.hermod.test (Hermod) with SMTP id"), dumped); // smtp-source says HELO
      }
    } finally {
      sink.destroy();
      sink.waitFor(10, TimeUnit.SECONDS);
      try (Stream<Path> files = Files.list(dumps)) {
        files.forEach(f -> f.toFile().delete());
      }
      Files.delete(dumps);
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void permanentRefusalBouncesToTheSender() throws Exception {
    int sinkPort = Ports.free();
    Process sink = new ProcessBuilder("/usr/sbin/smtp-sink", "-u", "nobody", "-B", "550 5.1.1 User unknown",
        "-f", "RCPT", "127.0.0.1:" + sinkPort, "64").redirectErrorStream(true).start();
    try (TestHermod a = TestHermod.start(temp.resolve("a"), new JsonObject()
        .put("routing", new JsonObject().put("routes", new JsonObject().put("sink.test", "[127.0.0.1]:" + sinkPort))))) {
      awaitListening(sinkPort);
      String id = send(a.port(), "alice@local.test", "nobody@sink.test",
          "Subject: will bounce\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII), "");
      // The original is removed once its only recipient failed; the DSN to alice (local) stays queued.
      waitUntil(() -> {
        List<String> ids = a.hermod.spool().list().await();
        return ids.size() == 1 && !ids.get(0).equals(id);
      }, "the bounce");
      String dsnId = a.hermod.spool().list().await().get(0);
      Envelope dsn = a.hermod.spool().load(dsnId).await();
      assertEquals("", dsn.sender());
      assertEquals("alice@local.test", dsn.recipients().get(0).address());
      String text = content(a.hermod.spool(), dsnId);
      assertTrue(text.contains("multipart/report; report-type=delivery-status"), text);
      assertTrue(text.contains("Final-Recipient: rfc822;nobody@sink.test"), text);
      assertTrue(text.contains("Action: failed"), text);
      assertTrue(text.contains("Status: 5.1.1"), text);
      assertTrue(text.contains("550 5.1.1 User unknown"), text);
      assertTrue(text.contains("Subject: will bounce"), text); // RET absent: the headers come back
    } finally {
      sink.destroy();
      sink.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void perDestinationConnectionCapHoldsUnder200QueuedMessages() throws Exception {
    Vertx peerVertx = Vertx.vertx();
    try {
      ScriptedSmtpPeer peer = new ScriptedSmtpPeer(peerVertx).start().await();
      try (TestHermod capped = TestHermod.start(temp.resolve("capped"), new JsonObject()
          .put("routing", new JsonObject().put("routes", new JsonObject().put("peer.test", "[127.0.0.1]:" + peer.port())))
          .put("delivery", new JsonObject().put("maxConnectionsPerDestination", 2).put("maxMessagesPerConnection", 20)))) {
        Process source = new ProcessBuilder("/usr/sbin/smtp-source", "-s", "10", "-m", "200", "-l", "512", "-d",
            "-f", "load@local.test", "-t", "u@peer.test", "127.0.0.1:" + capped.port()).redirectErrorStream(true).start();
        String out = new String(source.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(source.waitFor(60, TimeUnit.SECONDS), "smtp-source did not finish");
        assertEquals(0, source.exitValue(), out);
        waitUntil(() -> peer.messages().size() >= 200 && count(capped.hermod.spool()) == 0, "200 messages at the peer");
        assertEquals(200, peer.messages().size());
        assertTrue(peer.maxConcurrentSessions() <= 2, "peer saw " + peer.maxConcurrentSessions() + " concurrent sessions");
        assertTrue(peer.sessions().size() < 200, "connections were not reused: " + peer.sessions().size());
      }
      peer.close().await();
    } finally {
      peerVertx.close().await();
    }
  }

  private static String send(int port, String from, String to, byte[] body, String mailParams) throws IOException {
    return SmtpLineClient.transaction(port, from, mailParams, List.of(to), body);
  }

  /** The message without the Received fields at its top (each ends where a line does not start with a tab). */
  private static String withoutReceivedFields(String message) {
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

  private static int count(Spool spool) {
    return spool.list().await().size();
  }

  private static String content(Spool spool, String id) throws IOException {
    Spool.Content c = spool.content(id).await();
    byte[] all = Files.readAllBytes(c.file());
    return new String(all, (int) c.offset(), (int) c.length(), StandardCharsets.ISO_8859_1);
  }

  private static long fileCount(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    } catch (IOException e) {
      return -1;
    }
  }

  private static void awaitListening(int port) throws Exception {
    waitUntil(() -> {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
        return true;
      } catch (IOException e) {
        return false;
      }
    }, "smtp-sink on port " + port);
  }

  private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
