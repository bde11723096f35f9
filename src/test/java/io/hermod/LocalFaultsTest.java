package io.hermod;

import io.hermod.testing.RecoveredEnvelopes;
import io.hermod.api.Addresses;
import io.hermod.config.SpoolConfig;
import io.hermod.spool.Envelope;
import io.hermod.spool.FileSpool;
import io.hermod.spool.Spool;
import io.hermod.spool.FaultyFiles;
import io.hermod.testing.PeerAction;
import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.SmtpLineClient;
import io.hermod.testing.TestHermod;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.hermod.ReliabilityFixture.message;
import static io.hermod.ReliabilityFixture.sendAccepted;
import static io.hermod.ReliabilityFixture.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Local faults: the spool failing at commit, and a slow or unanswering delivery side (event-bus pressure). */
class LocalFaultsTest {

  @TempDir
  Path temp;

  /**
   * The real spool's disk fails at commit (fault injected under FileSpool, at the file operations): the
   * client is refused, and what the spool's own error path leaves behind is checked on disk.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aFailedCommitIsRefusedWithNothingKeptAndServiceResumes() throws Exception {
    Path spoolDir = temp.resolve("spool");
    FaultyFiles disk = new FaultyFiles();
    try (TestHermod hermod = TestHermod.start(spoolDir, new JsonObject(),
        (vertx, config) -> disk.spool(vertx, config.spool()))) {
      // Too big for the journal: its own files are written, fsynced and renamed into queue/ before the
      // directory fsync fails, so the error path has real files to remove.
      byte[] big = bigMessage("<full@client.test>");
      try (SmtpLineClient c = SmtpLineClient.connect("127.0.0.1", hermod.port())) {
        c.expect(220);
        c.send("EHLO client.test").expect(250);

        disk.failAt(FaultyFiles.Op.FORCE_DIRECTORY, p -> p.endsWith("queue"), FaultyFiles::noSpace);
        assertEquals("452 4.3.1", transaction(c, big).substring(0, 9));
        assertNothingKept(hermod, spoolDir, "after a full disk");

        // A journal message: its record is appended, then the segment's fsync fails.
        disk.failAt(FaultyFiles.Op.FORCE, p -> p.toString().endsWith(".log"), FaultyFiles::ioError);
        assertEquals("451 4.3.0", transaction(c, message("<ioerror@client.test>", "io error")).substring(0, 9));
        assertNothingKept(hermod, spoolDir, "after an I/O error");

        disk.heal(); // the disk has room again: the same session goes on
        assertTrue(transaction(c, big).startsWith("250 "));
        c.send("QUIT").expect(221);
      }
      assertTrue(sendAccepted(hermod.port(), "a@client.test", "postmaster@local.test",
          message("<after@client.test>", "after")).length() > 0);
      assertEquals(2, hermod.hermod.spool().list().await().size());
    }
    // What a restart finds: exactly the two accepted messages.
    Vertx vertx = Vertx.vertx();
    try {
      Spool reopened = new FileSpool(vertx, new SpoolConfig(spoolDir.toString(), 2, 64, 0, 0, 0));
      List<Envelope> recovered = RecoveredEnvelopes.recover(reopened).await();
      assertEquals(2, recovered.size());
      reopened.close().await();
    } finally {
      vertx.close().await();
    }
  }

  /** No message in the spool's view, no message file on disk, no journal record (a restart would find it). */
  private static void assertNothingKept(TestHermod hermod, Path spoolDir, String when) throws Exception {
    assertEquals(List.of(), hermod.hermod.spool().list().await(), "nothing listed " + when);
    assertEquals(new Spool.Usage(0, 0), hermod.hermod.spool().usage(), "nothing counted " + when);
    for (String dir : List.of("incoming", "queue")) {
      try (Stream<Path> files = Files.list(spoolDir.resolve(dir))) {
        assertEquals(List.of(), files.toList(), "files left in " + dir + "/ " + when);
      }
    }
    try (Stream<Path> segments = Files.list(spoolDir.resolve("journal"))) {
      for (Path segment : segments.toList()) {
        assertEquals(0, Files.size(segment), "bytes left in journal segment " + segment.getFileName() + " " + when);
      }
    }
  }

  /**
   * The remote never greets (each delivery stalls until its command timeout) and a second consumer of the
   * delivery job address never answers at all; the router's job timeout is shorter than both. Messages stay
   * queued, the router's active window never exceeds its cap, and once the remote speaks everything is
   * delivered (at least once: a job the router gave up on may have been delivered meanwhile).
   */
  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aStalledDeliverySideKeepsMessagesQueuedWithinTheActiveWindow() throws Exception {
    int window = 4;
    int messages = 20;
    Vertx peerVertx = Vertx.vertx();
    try {
      ScriptedSmtpPeer peer = new ScriptedSmtpPeer(peerVertx).greeting(PeerAction.silence()).start().await();
      try (TestHermod hermod = TestHermod.start(temp.resolve("spool"), new JsonObject()
          .put("routing", new JsonObject().put("routes", new JsonObject().put("peer.test", "[127.0.0.1]:" + peer.port())))
          .put("delivery", new JsonObject().put("activeWindow", window).put("jobTimeoutSeconds", 1)
              .put("requeueDelayMillis", 200).put("scanIntervalSeconds", 1).put("maxConnectionsPerDestination", 2)
              .put("commandTimeoutSeconds", 3).put("retryInitialSeconds", 1).put("retryMaxSeconds", 2)
              .put("suspendSeconds", 0)))) {
        MessageConsumer<JsonObject> blackHole = hermod.vertx.eventBus().consumer(Addresses.DELIVERY_JOB, m -> { });
        blackHole.completion().await();
        for (int i = 0; i < messages; i++) {
          sendAccepted(hermod.port(), "load@client.test", "u" + i + "@peer.test", message("<p" + i + "@client.test>", "p"));
        }
        int most = 0;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
        while (System.nanoTime() < until) {
          most = Math.max(most, hermod.hermod.router().activeMessages());
          assertTrue(most <= window, "active window over its cap: " + most);
          Thread.sleep(10);
        }
        assertEquals(window, most, "the window filled up (the stall was real)");
        assertEquals(messages, hermod.hermod.spool().list().await().size(), "every message still queued");
        assertEquals(0, peer.messages().size());

        peer.greeting("220 peer.test ESMTP awake");
        waitUntil(() -> peer.messages().size() >= messages && hermod.hermod.spool().list().await().isEmpty(),
            "every message delivered", 60);
        Map<String, Long> received = peer.messages().stream().map(ReliabilityFixture::messageId)
            .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        assertEquals(messages, received.size(), "every message reached the peer: " + received);
        long duplicates = received.values().stream().filter(n -> n > 1).count();
        System.out.printf("event-bus pressure: %d messages, window %d, %d delivered more than once%n",
            messages, window, duplicates);
        blackHole.unregister().await();
      }
      peer.close().await();
    } finally {
      peerVertx.close().await();
    }
  }

  private static byte[] bigMessage(String messageId) {
    StringBuilder sb = new StringBuilder("Message-ID: ").append(messageId).append("\r\nSubject: big\r\n\r\n");
    while (sb.length() < 300_000) { // over the journal's 256 KiB
      sb.append("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\r\n");
    }
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** MAIL, RCPT, DATA and the body in an open session; returns the reply to the end of data. */
  private static String transaction(SmtpLineClient c, byte[] body) throws Exception {
    c.send("MAIL FROM:<a@client.test>").expect(250);
    c.send("RCPT TO:<postmaster@local.test>").expect(250);
    c.send("DATA").expect(354);
    c.sendRaw(body);
    c.sendRaw(".\r\n".getBytes(StandardCharsets.US_ASCII));
    return c.readReply();
  }
}
