package io.hermod.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.api.Addresses;
import io.hermod.testing.Ports;
import io.hermod.testing.TestHermod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator bounce through the HTTP admin API sends the sender the same RFC 3464 DSN as a remote 5xx: a message
 * deferred to an unreachable peer is bounced, and the DSN arrives in the sender's local Maildir. NOTIFY=NEVER and
 * the null sender get none.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OperatorBounceDsnTest {

  @TempDir
  Path temp;

  @Test
  void bounceOfADeferredMessageSendsOneDsnToTheSender() throws Exception {
    Path mail = temp.resolve("mail");
    try (Ports.Refusing remote = Ports.refusing();
         TestHermod h = TestHermod.start(temp.resolve("spool"), deferringConfig(mail, remote))) {
      List<JsonObject> events = new CopyOnWriteArrayList<>();
      h.vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> events.add(m.body())).completion().await();
      Http http = new Http(h.httpPort(), null);
      String silent = Mail.sendWith(h, "<carol@local.test>", "<dan@remote.test> NOTIFY=NEVER");
      String fromNull = Mail.sendWith(h, "<>", "<erin@remote.test>");
      String id = Mail.sendWith(h, "<alice@local.test>", "<bob@remote.test> ORCPT=rfc822;Bob@remote.test");
      for (String queued : List.of(silent, fromNull, id)) {
        awaitTrue(() -> "deferred".equals(state(http, queued)), queued + " deferred by the unreachable peer");
      }

      HttpResponse<String> r = QueueAdminApiTest.retryWhile409(() -> http.post("/queue/" + id + "/bounce"));
      assertEquals(200, r.statusCode(), r.body());
      JsonObject rcpt = new JsonObject(r.body()).getJsonArray("recipients").getJsonObject(0);
      assertEquals("failed", rcpt.getString("state"));
      assertEquals("550 5.0.0 bounced by operator", rcpt.getString("lastReply"));
      for (String quiet : List.of(silent, fromNull)) {
        HttpResponse<String> q = QueueAdminApiTest.retryWhile409(() -> http.post("/queue/" + quiet + "/bounce"));
        assertEquals(200, q.statusCode(), q.body());
      }

      Path inbox = mail.resolve("local.test/alice/new");
      awaitTrue(() -> files(inbox).size() == 1, "the DSN in alice's Maildir");
      String dsn = Files.readString(files(inbox).get(0), StandardCharsets.ISO_8859_1);
      assertTrue(dsn.contains("Content-Type: multipart/report; report-type=delivery-status"), dsn);
      assertTrue(dsn.contains("Final-Recipient: rfc822;bob@remote.test"), dsn);
      assertTrue(dsn.contains("Original-Recipient: rfc822;Bob@remote.test"), dsn);
      assertTrue(dsn.contains("Action: failed"), dsn);
      assertTrue(dsn.contains("Status: 5.0.0"), dsn);
      assertTrue(dsn.contains("Diagnostic-Code: X-Hermod; 550 5.0.0 bounced by operator"), dsn);
      assertTrue(dsn.contains("Subject: ops test"), "the original's header section: " + dsn);

      for (String gone : List.of(id, silent, fromNull)) {
        awaitTrue(() -> status(http, "/queue/" + gone) == 404, gone + " removed");
      }
      awaitTrue(() -> h.hermod.spool().list().await().isEmpty(), "no other DSN spooled (NOTIFY=NEVER, <>)");
      assertEquals(List.of(), files(mail.resolve("local.test/carol/new")));
      awaitTrue(() -> events.stream().filter(e -> "bounced".equals(e.getString("outcome"))).count() == 3,
          "three bounced events: " + events);
      JsonObject bounced = events.stream().filter(e -> id.equals(e.getString("queueId"))
          && "bounced".equals(e.getString("outcome"))).findFirst().orElseThrow();
      assertEquals("bob@remote.test", bounced.getString("recipient"));
      assertEquals("5.0.0", bounced.getString("status"));
      assertEquals(550, bounced.getInteger("code"));
    }
  }

  /** remote.test goes to a port that refuses (every attempt defers, retried much later); Maildir for local.test. */
  static JsonObject deferringConfig(Path mail, Ports.Refusing remote) {
    return new JsonObject()
        .put("routing", new JsonObject().put("routes", new JsonObject().put("remote.test", remote.nextHop())))
        .put("delivery", new JsonObject().put("retryInitialSeconds", 3600).put("retryMaxSeconds", 3600))
        .put("local", new JsonObject().put("transports", new JsonObject().put("local.test",
            new JsonObject().put("type", "maildir").put("directory", mail + "/%d/%u"))));
  }

  private static String state(Http http, String id) throws Exception {
    HttpResponse<String> r = http.get("/queue/" + id);
    return r.statusCode() == 200 ? new JsonObject(r.body()).getString("state") : "HTTP " + r.statusCode();
  }

  private static int status(Http http, String path) throws Exception {
    return http.get(path).statusCode();
  }

  static List<Path> files(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  interface Check {
    boolean ok() throws Exception;
  }

  static void awaitTrue(Check check, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!check.ok()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
