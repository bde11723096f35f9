package io.hermod.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.config.ConfigException;
import io.hermod.config.ConfigLoader;
import io.hermod.testing.TestHermod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue admin API against a real spool. Messages go to local.test recipients: the router leaves them
 * queued (local delivery is not there yet), so they stay put while the test works on them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueueAdminApiTest {

  @TempDir
  Path temp;

  @Test
  void holdSurvivesARestartAndReleaseFlushListSummaryDelete() throws Exception {
    String id;
    try (TestHermod h = TestHermod.start(temp, new JsonObject())) {
      Http http = new Http(h.httpPort(), null);
      id = Mail.send(h, "alice@client.example", "bob@local.test");
      Mail.send(h, "carol@client.example", "dave@local.test");
      JsonObject held = retryWhileActive(http, "/queue/" + id + "/hold");
      assertTrue(held.getBoolean("held"));
      assertEquals("held", held.getString("state"));
      assertTrue(h.hermod.spool().load(id).await().held(), "durable in the envelope");

      JsonObject list = json(http.get("/queue?state=held"));
      assertEquals(1, list.getInteger("count"));
      assertEquals(id, list.getJsonArray("messages").getJsonObject(0).getString("id"));
      JsonObject m = list.getJsonArray("messages").getJsonObject(0);
      assertEquals("alice@client.example", m.getString("sender"));
      assertEquals("bob@local.test", m.getJsonArray("recipients").getJsonObject(0).getString("address"));
      assertEquals("pending", m.getJsonArray("recipients").getJsonObject(0).getString("state"));
      assertEquals(1, json(http.get("/queue?sender=carol@client.example")).getInteger("count"));
      assertEquals(2, json(http.get("/queue?domain=LOCAL.test")).getInteger("count"));
      assertEquals(0, json(http.get("/queue?domain=other.test")).getInteger("count"));
    }
    try (TestHermod h = TestHermod.start(temp, new JsonObject())) {
      Http http = new Http(h.httpPort(), null);
      JsonObject shown = json(http.get("/queue/" + id));
      assertTrue(shown.getBoolean("held"), "hold survived the restart: " + shown);

      JsonObject released = retryWhileActive(http, "/queue/" + id + "/release");
      assertFalse(released.getBoolean("held"));

      // A flush makes the message due now: its next attempt is the moment of the flush, between our request
      // and its answer (the same wall clock), not merely some time not long ago.
      Instant before = Instant.now();
      JsonObject flushed = retryWhileActive(http, "/queue/" + id + "/flush");
      Instant after = Instant.now();
      Instant next = Instant.parse(flushed.getString("nextAttempt"));
      assertFalse(next.isBefore(before) || next.isAfter(after),
          "next attempt " + next + " not within the flush [" + before + ", " + after + "]: " + flushed.encode());

      JsonObject shape = json(http.get("/queue/summary"));
      assertEquals(new JsonArray().add("0-5m").add("5-10m").add("10-20m").add("20-40m").add("40-80m")
          .add("80-160m").add(">160m"), shape.getJsonArray("buckets"));
      JsonObject local = shape.getJsonArray("rows").getJsonObject(0);
      assertEquals("local.test", local.getString("key"));
      assertEquals(2L, local.getLong("total"));
      assertEquals(2L, local.getJsonArray("counts").getLong(0));

      HttpResponse<String> deleted = retryWhile409(() -> http.delete("/queue/" + id));
      assertEquals(200, deleted.statusCode(), deleted.body());
      assertEquals(404, http.get("/queue/" + id).statusCode());
      assertEquals(1, json(http.get("/queue")).getInteger("count"));
      assertEquals(400, http.get("/queue/..%2Fetc").statusCode());
    }
  }

  @Test
  void bounceFailsPendingRecipientsAndTheRouterRemovesTheMessage() throws Exception {
    try (TestHermod h = TestHermod.start(temp, new JsonObject())) {
      Http http = new Http(h.httpPort(), null);
      String id = Mail.send(h, "alice@client.example", "bob@local.test");
      HttpResponse<String> r = retryWhile409(() -> http.post("/queue/" + id + "/bounce"));
      assertEquals(200, r.statusCode(), r.body());
      JsonObject rcpt = json(r).getJsonArray("recipients").getJsonObject(0);
      assertEquals("failed", rcpt.getString("state"));
      assertEquals("550 5.0.0 bounced by operator", rcpt.getString("lastReply"));
      // The router sends the DSN (to client.example: it stays queued, DNS is silent) and removes the message.
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (http.get("/queue/" + id).statusCode() != 404 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(404, http.get("/queue/" + id).statusCode());
    }
  }

  @Test
  void tokenIsEnforcedOnTheAdminApiOnly() throws Exception {
    JsonObject withToken = new JsonObject().put("http", new JsonObject().put("port", 0).put("adminToken", "s3cret"));
    try (TestHermod h = TestHermod.start(temp, withToken)) {
      assertEquals(401, new Http(h.httpPort(), null).get("/queue").statusCode());
      assertEquals(401, new Http(h.httpPort(), "wrong").get("/queue").statusCode());
      assertEquals(200, new Http(h.httpPort(), "s3cret").get("/queue").statusCode());
      assertEquals(200, new Http(h.httpPort(), null).get("/metrics").statusCode());
      assertEquals(200, new Http(h.httpPort(), null).get("/health/ready").statusCode());
    }
  }

  @Test
  void nonLoopbackHostWithoutTokenIsAConfigError() {
    JsonObject json = TestHermod.baseConfig(temp).put("http", new JsonObject().put("host", "0.0.0.0"));
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(json));
    assertTrue(e.getMessage().contains("http.adminToken"), e.getMessage());
    json.put("http", new JsonObject().put("host", "0.0.0.0").put("adminToken", "t"));
    assertEquals("t", ConfigLoader.fromJson(json).http().adminToken());
    json.put("http", new JsonObject().put("host", "::1"));
    assertEquals("::1", ConfigLoader.fromJson(json).http().host());
  }

  interface Call {
    HttpResponse<String> run() throws Exception;
  }

  /** The router briefly takes every message into its window (start-up scan): 409 then; try again. */
  static HttpResponse<String> retryWhile409(Call call) throws Exception {
    HttpResponse<String> r = call.run();
    for (int i = 0; i < 200 && r.statusCode() == 409; i++) {
      Thread.sleep(25);
      r = call.run();
    }
    return r;
  }

  private static JsonObject retryWhileActive(Http http, String path) throws Exception {
    HttpResponse<String> r = retryWhile409(() -> http.post(path));
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  private static JsonObject json(HttpResponse<String> r) {
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }
}
