package io.hermod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.api.HermodClient;
import io.hermod.api.Submission;
import io.hermod.auth.PasswordHash;
import io.hermod.auth.UserFile;
import io.hermod.testing.LogCapture;
import io.hermod.testing.PeerSession;
import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.SmtpLineClient;
import io.hermod.testing.TestHermod;
import io.hermod.testing.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Egress sources and pools through a running Hermod (docs/delivery.md "Sources and pools"): the receiving peer on
 * 127.0.0.1 sees each pool's source address (loopback aliases) and EHLO name. 192.0.2.55 (TEST-NET-1) is a
 * configured source that is not on this machine: it is only ever bound to, never sent to.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EgressEndToEndTest {

  @TempDir
  Path temp;
  @TempDir
  static Path tls; // the generated certificate, shared by the tests

  private Vertx peerVertx;
  private ScriptedSmtpPeer peer;
  private LogCapture egressLog;
  private TestHermod h;

  @BeforeEach
  void start() throws Exception {
    peerVertx = Vertx.vertx();
    peer = new ScriptedSmtpPeer(peerVertx).capabilities("PIPELINING").start().await();
    UserFile.writeEntries(temp.resolve("users"),
        Map.of("alice", new UserFile.Entry(PasswordHash.create("s3cret", new SecureRandom()))));
    egressLog = new LogCapture("io.hermod.egress");
    h = TestHermod.start(Files.createDirectories(temp.resolve("spool")), new JsonObject()
        .put("listeners", new JsonArray()
            .add(new JsonObject().put("name", "mx").put("host", "127.0.0.1").put("port", 0).put("role", "mx")
                .put("tls", "none"))
            .add(new JsonObject().put("name", "submission").put("host", "127.0.0.1").put("port", 0)
                .put("role", "submission")))
        .put("tls", new JsonObject().put("generatedDirectory", tls.toString()))
        .put("auth", new JsonObject().put("usersFile", temp.resolve("users").toString()))
        .put("routing", new JsonObject().put("routes", new JsonObject().put("peer.test", "[127.0.0.1]:" + peer.port())))
        .put("delivery", new JsonObject("""
            {"sources": {"ip1": {"address": "127.0.0.2", "ehlo": "out1.example"},
                         "ip2": {"address": "127.0.0.3", "ehlo": "out2.example"},
                         "gone": {"address": "192.0.2.55", "ehlo": "out9.example"}},
             "pools": {"p": {"ip1": 1}, "bulk": {"ip1": 1, "ip2": 1}, "lost": {"gone": 1},
                       "half": {"gone": 5, "ip2": 1}},
             "poolSelection": {"users": {"alice": "p"},
                               "senderDomains": {"news.test": "bulk", "lost.test": "lost", "half.test": "half"}},
             "retryInitialSeconds": 1, "retryMaxSeconds": 1}
            """)));
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (h != null) {
        h.close();
      }
      egressLog.close();
      peer.close().await();
    } finally {
      peerVertx.close().await();
    }
  }

  @Test
  void anAuthenticatedUsersPoolSendsFromItsSourceAddressAndEhloName() throws Exception {
    Process swaks = new ProcessBuilder("swaks", "-s", "127.0.0.1", "-p", String.valueOf(h.hermod.port(1)),
        "-tls", "-a", "PLAIN", "-au", "alice", "-ap", "s3cret", "-f", "alice@anywhere.test", "-t", "u@peer.test",
        "--header", "Subject: from alice").redirectErrorStream(true).start();
    String out = new String(swaks.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(swaks.waitFor(30, TimeUnit.SECONDS), "swaks did not finish");
    assertEquals(0, swaks.exitValue(), out);
    Wait.until(() -> peer.messages().size() == 1, "alice's message at the peer", 20);
    assertEquals(List.of("127.0.0.2 out1.example"), sessions());
  }

  @Test
  void aSenderDomainsWeightedPoolSpreadsOverItsTwoSources() throws Exception {
    for (int i = 0; i < 6; i++) {
      send("letter@news.test");
    }
    Wait.until(() -> peer.messages().size() == 6, "six messages at the peer", 30);
    Map<String, Integer> mailsBySource = new TreeMap<>();
    for (PeerSession s : peer.sessions()) {
      int mails = (int) s.commands().stream().filter(c -> c.startsWith("MAIL FROM:")).count();
      mailsBySource.merge(s.remoteAddress() + " " + s.heloName(), mails, Integer::sum);
    }
    assertEquals(Map.of("127.0.0.2 out1.example", 3, "127.0.0.3 out2.example", 3), mailsBySource);
  }

  @Test
  void theSubmitRequestsPoolIsUsed() throws Exception {
    HermodClient.create(h.vertx).submit(Submission.builder().from("app@news.test").to("u@peer.test")
        .raw("Subject: from the bus\r\n\r\nhello\r\n").pool("p").build()).await();
    Wait.until(() -> peer.messages().size() == 1, "the bus message at the peer", 20);
    assertEquals(List.of("127.0.0.2 out1.example"), sessions(), "the request's pool, not news.test's");
  }

  @Test
  void aSourceMissingOnThisNodeIsSkippedWithOneWarningAndMailStillGoesOut() throws Exception {
    List<String> warnings = egressLog.messages();
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("egress source gone: address 192.0.2.55 is not usable on this node"),
        warnings.get(0));
    for (int i = 0; i < 3; i++) {
      send("letter@lost.test"); // pool "lost" has only the missing source: the default source
    }
    for (int i = 0; i < 3; i++) {
      send("letter@half.test"); // pool "half": its other source, whatever the weights
    }
    Wait.until(() -> peer.messages().size() == 6 && h.hermod.spool().list().await().isEmpty(),
        "six messages at the peer, none left queued", 30);
    assertEquals(List.of("127.0.0.1 mx.hermod.test", "127.0.0.3 out2.example"),
        sessions().stream().distinct().sorted().toList());
    assertEquals(1, egressLog.messages().size(), "no warning per message: " + egressLog.messages());
  }

  private void send(String from) throws Exception {
    // From 127.0.0.1 (trusted): every reply must be positive.
    SmtpLineClient.transaction(h.port(), from, "", List.of("u@peer.test"),
        "Subject: pools\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  /** "address ehlo" of every session the peer saw, in order. */
  private List<String> sessions() {
    return peer.sessions().stream().map(s -> s.remoteAddress() + " " + s.heloName()).toList();
  }
}
