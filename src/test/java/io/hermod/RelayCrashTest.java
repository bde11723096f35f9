package io.hermod;

import io.hermod.config.SpoolConfig;
import io.hermod.spool.FileSpool;
import io.hermod.spool.Spool;
import io.hermod.testing.HermodProcess;
import io.hermod.testing.ReceivedMessage;
import io.hermod.testing.ScriptedSmtpPeer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.hermod.testing.SmtpLineClient.command;
import static io.hermod.testing.SmtpLineClient.lastReply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crash safety under relay load: a separate Hermod JVM relays what 4 clients send to a counting SMTP peer
 * (in this JVM) and is killed with SIGKILL at random moments, restarted on the same spool each time. At the
 * end, after restarts without load, the spool must be empty and every message that got 250 must have reached
 * the peer at least once (at-least-once: duplicates are counted and printed, not failed).
 *
 * <p>Default 5 kills (well under 90 s); a longer run: {@code mvn -B test -Dtest=RelayCrashTest -DrelayCrashCycles=20}.
 */
class RelayCrashTest {

  private static final int CLIENTS = 4;
  private static final String TRAILER = "end of message ";
  private static final int WARM_UP_MESSAGES = 20;

  @TempDir
  Path temp;

  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet(); // Message-IDs that got 250
  private final Set<String> attempted = ConcurrentHashMap.newKeySet();    // every Message-ID sent
  private Vertx peerVertx;
  private volatile HermodProcess child;

  @AfterEach
  void cleanUp() throws Exception {
    if (child != null) {
      child.close();
    }
    if (peerVertx != null) {
      peerVertx.close().await();
    }
  }

  @Test
  void everyAcknowledgedMessageReachesThePeerDespiteSigkills() {
    int cycles = Integer.getInteger("relayCrashCycles", 5);
    assertTimeoutPreemptively(Duration.ofSeconds(30 + 10L * cycles), () -> run(cycles));
  }

  private void run(int cycles) throws Exception {
    peerVertx = Vertx.vertx();
    ScriptedSmtpPeer peer = new ScriptedSmtpPeer(peerVertx).capabilities("PIPELINING", "8BITMIME").start().await();
    Path spoolDir = temp.resolve("spool");
    Path conf = writeConfig(spoolDir, peer.port());
    Random random = new Random();
    for (int cycle = 0; cycle < cycles; cycle++) {
      child = HermodProcess.start(conf);
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> clients = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        String prefix = cycle + "." + i + "." + Long.toHexString(random.nextLong());
        long seed = random.nextLong();
        int port = child.port();
        Thread t = new Thread(() -> sendUntilStopped(port, prefix, seed, stop), "relay-crash-client-" + i);
        t.start();
        clients.add(t);
      }
      // Kill at a random moment, once this cycle has acknowledged mail and relayed some 20 messages (so the
      // kill falls in the middle of both taking and relaying mail in a warmed-up instance, not in its start).
      int ackedBefore = acknowledged.size();
      int relayedBefore = peer.messages().size();
      ReliabilityFixture.waitUntil(() -> acknowledged.size() >= ackedBefore + 5
          && peer.messages().size() >= relayedBefore + WARM_UP_MESSAGES, "load in cycle " + cycle, 30);
      Thread.sleep(random.nextInt(1000));
      child.kill();
      stop.set(true);
      for (Thread t : clients) {
        t.join(20_000);
      }
    }
    assertTrue(acknowledged.size() > 0, "no message was acknowledged: the load never ran");

    int restarts = drainSpool(conf, spoolDir, peer);

    Map<String, Long> received = peer.messages().stream().map(ReliabilityFixture::messageId)
        .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
    List<String> lost = acknowledged.stream().filter(id -> !received.containsKey(id)).sorted().toList();
    assertEquals(List.of(), lost, "acknowledged messages that never reached the peer");
    for (ReceivedMessage m : peer.messages()) {
      String id = ReliabilityFixture.messageId(m);
      assertTrue(attempted.contains(id), "the peer got a message nobody sent: " + id);
      assertTrue(m.content().toString(StandardCharsets.ISO_8859_1).endsWith(TRAILER + id + "\r\n"),
          "the peer got a truncated message: " + id);
    }
    Map<String, Long> duplicates = new TreeMap<>(received);
    duplicates.values().removeIf(n -> n == 1);
    System.out.printf("relay crash test: %d kills, %d restart(s) to drain, %d messages acknowledged, %d distinct at "
            + "the peer (%d without the client seeing 250), %d delivered twice or more (%.1f per kill): %s%n",
        cycles, restarts, acknowledged.size(), received.size(), received.size() - acknowledged.size(),
        duplicates.size(), duplicates.size() / (double) cycles, duplicates);
  }

  /**
   * Restarts Hermod without load until its spool is empty (checked through the Spool API with Hermod
   * stopped); returns how many restarts that took. Bounded: at most 4 restarts.
   */
  private int drainSpool(Path conf, Path spoolDir, ScriptedSmtpPeer peer) throws Exception {
    for (int restart = 1; restart <= 4; restart++) {
      child = HermodProcess.start(conf);
      ReliabilityFixture.waitUntil(() -> received(peer).containsAll(acknowledged), "every acknowledged message "
          + "at the peer", 30);
      waitUntilQuiet(peer);
      child.stop();
      Vertx vertx = Vertx.vertx();
      try {
        Spool spool = new FileSpool(vertx, new SpoolConfig(spoolDir.toString(), 2, 64, 0, 0, 0));
        spool.recover().await();
        List<String> left = spool.list().await();
        Spool.Usage usage = spool.usage();
        spool.close().await();
        if (left.isEmpty()) {
          assertEquals(new Spool.Usage(0, 0), usage, "no message bytes left in the spool");
          return restart;
        }
      } finally {
        vertx.close().await();
      }
    }
    throw new AssertionError("the spool was still not empty after 4 restarts without load");
  }

  /** Waits until the peer has received nothing new for 3 s and has no connection open (at most 30 s). */
  private static void waitUntilQuiet(ScriptedSmtpPeer peer) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int seen = -1;
    long quietSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      int now = peer.messages().size();
      if (now != seen || peer.openSessions() > 0) {
        seen = now;
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(3)) {
        return;
      }
      Thread.sleep(50);
    }
  }

  private static Set<String> received(ScriptedSmtpPeer peer) {
    return peer.messages().stream().map(ReliabilityFixture::messageId).collect(Collectors.toSet());
  }

  private Path writeConfig(Path spoolDir, int peerPort) throws IOException {
    Path conf = temp.resolve("hermod.json");
    Files.writeString(conf, new JsonObject()
        .put("hostname", "relay.hermod.test")
        .put("localDomains", new JsonArray().add("local.test"))
        .put("trustedNetworks", new JsonArray().add("127.0.0.1/32"))
        .put("listeners", new JsonArray().add(new JsonObject()
            .put("name", "mx").put("host", "127.0.0.1").put("port", 0).put("role", "mx").put("tls", "none")))
        .put("spool", new JsonObject().put("directory", spoolDir.toString()))
        .put("dns", new JsonObject().put("resolvers", new JsonArray().add("127.0.0.1:9")).put("timeoutMillis", 500))
        .put("routing", new JsonObject().put("routes", new JsonObject().put("peer.test", "[127.0.0.1]:" + peerPort)))
        .put("delivery", new JsonObject().put("retryInitialSeconds", 1).put("retryMaxSeconds", 2)
            .put("scanIntervalSeconds", 1).put("requeueDelayMillis", 200))
        .put("shutdownGraceSeconds", 2)
        .encodePrettily());
    return conf;
  }

  private void sendUntilStopped(int port, String prefix, long seed, AtomicBoolean stop) {
    Random random = new Random(seed);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(10_000);
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      lastReply(in);
      command(out, in, "EHLO crash.client.test");
      for (int n = 0; !stop.get(); n++) {
        String messageId = "<" + prefix + "." + n + "@crash.client.test>";
        command(out, in, "MAIL FROM:<load@client.test>");
        command(out, in, "RCPT TO:<sink@peer.test>");
        command(out, in, "DATA");
        attempted.add(messageId);
        out.write(body(random, messageId));
        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        if (lastReply(in).startsWith("250 ")) {
          acknowledged.add(messageId);
        }
      }
    } catch (IOException e) {
      // the server was killed: expected
    }
  }

  /** 200 B to ~100 KiB, ending with a trailer line that names the message; no line starts with a dot. */
  private static byte[] body(Random random, String messageId) {
    StringBuilder sb = new StringBuilder("Message-ID: ").append(messageId).append("\r\nSubject: relay crash\r\n\r\n");
    int lines = 2 + random.nextInt(random.nextInt(10) == 0 ? 4000 : 30);
    for (int i = 0; i < lines; i++) {
      sb.append(Long.toHexString(random.nextLong())).append(" line ").append(i).append("\r\n");
    }
    return sb.append(TRAILER).append(messageId).append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
  }
}
