package io.hermod;

import io.hermod.testing.RecoveredEnvelopes;
import io.hermod.config.SpoolConfig;
import io.hermod.spool.Envelope;
import io.hermod.spool.FileSpool;
import io.hermod.spool.Spool;
import io.hermod.testing.HermodProcess;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.hermod.testing.SmtpLineClient.lastReply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A separate Hermod JVM takes mail from several clients and is killed with SIGKILL at a random moment,
 * three times, restarted on the same spool each time. Every message that got 250 must then be in the
 * spool, byte-identical (SHA-256); no message may be half-present. Every cycle must get new 250s before its
 * kill, and a refusal is never taken for the kill (a restarted Hermod that refused all mail would fail).
 */
class CrashRecoveryTest {

  private static final Pattern QUEUED = Pattern.compile("^250 2\\.0\\.0 OK: queued as (\\S+)");
  private static final int CLIENTS = 4;
  private static final int CYCLES = 3;

  @TempDir
  Path temp;

  private final Map<String, String> acknowledged = new ConcurrentHashMap<>(); // queue id -> body digest
  private final Set<String> attempted = ConcurrentHashMap.newKeySet();      // every body digest sent
  private final Queue<String> problems = new ConcurrentLinkedQueue<>();    // refusals, connections lost too early

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void everyAcknowledgedMessageSurvivesSigkill() throws Exception {
    Path spoolDir = temp.resolve("spool");
    Path conf = temp.resolve("hermod.json");
    Files.writeString(conf, new JsonObject()
        .put("hostname", "crash.hermod.test")
        .put("localDomains", new JsonArray().add("local.test"))
        .put("listeners", new JsonArray().add(new JsonObject()
            .put("name", "mx").put("host", "127.0.0.1").put("port", 0).put("role", "mx").put("tls", "none")))
        .put("spool", new JsonObject().put("directory", spoolDir.toString()))
        .put("http", new JsonObject().put("port", 0))
        .put("limits", new JsonObject().put("maxMessagesPerConnection", 1_000_000)) // a 421 here is no kill either
        .encodePrettily());
    Random random = new Random();
    int sentInTotal = 0;
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      try (HermodProcess hermod = HermodProcess.start(conf)) {
        int port = hermod.port();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger sent = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
          long seed = random.nextLong();
          Thread t = new Thread(() -> sendUntilStopped(port, seed, stop, killed, sent), "crash-client-" + i);
          t.start();
          clients.add(t);
        }
        // Kill at a random moment, but only once this cycle has some acknowledged messages: a cycle without
        // them fails (a restarted Hermod refusing mail, or a machine too slow for the test to check anything).
        int before = acknowledged.size();
        int cycleNo = cycle;
        ReliabilityFixture.waitUntil(() -> acknowledged.size() >= before + 5 || !problems.isEmpty(),
            "5 new messages acknowledged in cycle " + cycleNo, 30);
        assertEquals(List.of(), List.copyOf(problems), "in cycle " + cycle + ", before the kill");
        Thread.sleep(random.nextInt(1500));
        killed.set(true); // from here on a connection that ends is the kill's doing
        hermod.kill(); // SIGKILL: no shutdown hook runs
        stop.set(true);
        for (Thread t : clients) {
          t.join(20_000);
        }
        sentInTotal += sent.get();
      }
    }
    assertEquals(List.of(), List.copyOf(problems), "refusals, or connections lost while Hermod was up");

    Vertx vertx = Vertx.vertx();
    try {
      Spool spool = new FileSpool(vertx, new SpoolConfig(spoolDir.toString(), 2, 64, 0, 0, 0));
      List<Envelope> recovered = RecoveredEnvelopes.recover(spool).await();
      Map<String, Envelope> byId = new ConcurrentHashMap<>();
      recovered.forEach(e -> byId.put(e.id(), e));
      for (Map.Entry<String, String> ack : acknowledged.entrySet()) {
        assertNotNull(byId.get(ack.getKey()), "acknowledged message " + ack.getKey() + " lost");
        assertEquals(ack.getValue(), bodyDigest(spool, ack.getKey()), "message " + ack.getKey() + " changed");
      }
      for (Envelope e : recovered) {
        String digest = bodyDigest(spool, e.id());
        assertTrue(attempted.contains(digest), "message " + e.id() + " in the spool is not one that was sent whole");
      }
      System.out.printf("crash test: %d cycles, %d messages acknowledged, %d recovered (%d committed without "
          + "the client seeing 250), %d transactions started%n", CYCLES, acknowledged.size(), recovered.size(),
          recovered.size() - acknowledged.size(), sentInTotal);
      spool.close().await();
    } finally {
      vertx.close().await();
    }
  }

  /**
   * Sends until stopped. A refusal (any reply that is not 2xx/3xx, or not 250 to the end of data) is recorded
   * as a problem, never taken for the kill; so is a connection that ends before the kill.
   */
  private void sendUntilStopped(int port, long seed, AtomicBoolean stop, AtomicBoolean killed, AtomicInteger sent) {
    Random random = new Random(seed);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(10_000);
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      if (!lastReply(in).startsWith("220 ")
          || !command(out, in, "EHLO crash.client.test")) {
        return;
      }
      while (!stop.get()) {
        byte[] body = body(random);
        String digest = sha256(body);
        if (!command(out, in, "MAIL FROM:<load@client.test>") || !command(out, in, "RCPT TO:<sink@local.test>")
            || !command(out, in, "DATA")) {
          return;
        }
        attempted.add(digest);
        sent.incrementAndGet();
        out.write(body);
        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String reply = lastReply(in);
        Matcher m = QUEUED.matcher(reply);
        if (!m.find()) {
          problems.add("end of data refused: " + reply);
          return;
        }
        acknowledged.put(m.group(1), digest);
      }
    } catch (IOException e) {
      if (!killed.get()) {
        problems.add("connection lost while Hermod was up: " + e);
      }
    }
  }

  /** One command; false (and a problem recorded) when Hermod refused it. A closed connection throws. */
  private boolean command(OutputStream out, InputStream in, String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String reply = lastReply(in);
    if (reply.startsWith("2") || reply.startsWith("3")) {
      return true;
    }
    problems.add(line + " refused: " + reply);
    return false;
  }

  /** A message with a random size (200 B to 200 KiB) and content; no line starts with a dot. */
  private static byte[] body(Random random) {
    StringBuilder sb = new StringBuilder("Subject: crash test ").append(random.nextLong()).append("\r\n\r\n");
    int lines = 2 + random.nextInt(random.nextInt(10) == 0 ? 2500 : 30);
    for (int i = 0; i < lines; i++) {
      sb.append(Long.toHexString(random.nextLong())).append(" line ").append(i).append("\r\n");
    }
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** The stored message without the Received field we prepended (its continuation lines start with a tab). */
  private static String bodyDigest(Spool spool, String id) throws Exception {
    Spool.Content c = spool.content(id).await();
    byte[] all = Files.readAllBytes(c.file());
    String text = new String(all, (int) c.offset(), (int) c.length(), StandardCharsets.ISO_8859_1);
    assertTrue(text.startsWith("Received: "), "no Received header in " + id);
    int end = text.indexOf("\r\n");
    while (text.startsWith("\t", end + 2)) {
      end = text.indexOf("\r\n", end + 2);
    }
    // The clients never send a line starting with '.', so the stored body is exactly what was sent.
    return sha256(text.substring(end + 2).getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
