package io.hermod.ops;

import static io.hermod.ops.MetricsAndHealthTest.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue tools at depth (issue #13): list by cursor, summary and the census over a real FileSpool, from the
 * queue index, never walking the spool ({@link io.hermod.testing.IndexedSpool} refuses Spool.list()).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class QueuePagingTest {

  static final int DEPTH = 100_000;

  @TempDir
  Path temp;

  @Test
  void aHundredThousandMessagesPageByCursorEachExactlyOnce() throws Exception {
    try (OpsFixture fx = OpsFixture.start(temp)) {
      List<String> ids = fx.queue(DEPTH, i -> "r" + i + "@d" + (i % 10) + ".test");

      List<String> paged = pageAll(fx, "limit=5000");
      assertEquals(DEPTH, paged.size(), "one entry per message");
      assertEquals(new HashSet<>(ids), new HashSet<>(paged), "every message, none twice");

      List<String> d3 = pageAll(fx, "domain=D3.TEST&limit=3000");
      List<String> toD3 = IntStream.range(0, DEPTH).filter(i -> i % 10 == 3).mapToObj(ids::get).toList();
      assertEquals(toD3.size(), d3.size());
      assertEquals(new HashSet<>(toD3), new HashSet<>(d3));

      JsonObject shape = fx.get("/queue/summary");
      assertEquals(DEPTH, shape.getJsonObject("total").getLong("total"), shape.encode());
      JsonArray rows = shape.getJsonArray("rows");
      assertEquals(10, rows.size(), shape.encode());
      rows.forEach(r -> assertEquals(DEPTH / 10, ((JsonObject) r).getLong("total"), shape.encode()));
      assertEquals(DEPTH, (long) value(fx.http.get("/metrics").body(), "hermod_queue_messages", "state=\"deferred\""));
      assertFalse(fx.spool.listed(), "the spool was walked");
    }
  }

  @Test
  void filtersBySenderStateAndAgeAndRefusesBadParameters() throws Exception {
    try (OpsFixture fx = OpsFixture.start(temp)) {
      List<String> ids = fx.queue(30, i -> "r" + i + "@local.test");
      JsonObject page = fx.get("/queue?sender=S1@CLIENT.TEST");
      assertEquals(10, page.getInteger("count"), page.encode());
      assertEquals(null, page.getString("next"));
      page.getJsonArray("messages").forEach(m -> assertEquals("s1@client.test", ((JsonObject) m).getString("sender")));

      assertEquals("held", OpsFixture.ok(fx.http.post("/queue/" + ids.get(0) + "/hold"), 200).getString("state"));
      assertEquals(List.of(ids.get(0)), pageAll(fx, "state=held"));
      assertEquals(29, fx.get("/queue?state=deferred").getInteger("count"));
      assertEquals(0, fx.get("/queue?minAge=1h").getInteger("count"));
      assertEquals(7, fx.get("/queue?maxAge=1h&limit=7").getInteger("count"));
      assertEquals(30, pageAll(fx, "maxAge=1h&limit=7").size());

      JsonObject bySite = fx.get("/queue/summary?by=site");
      assertEquals("(unrouted)", bySite.getJsonArray("rows").getJsonObject(0).getString("key"), bySite.encode());
      assertEquals(30, bySite.getJsonArray("rows").getJsonObject(0).getLong("total"));

      String metrics = fx.http.get("/metrics").body();
      assertEquals(1, (long) value(metrics, "hermod_queue_messages", "state=\"held\""));
      assertEquals(29, (long) value(metrics, "hermod_queue_messages", "state=\"deferred\""));
      assertEquals(0, (long) value(metrics, "hermod_queue_messages", "state=\"waiting\""));
      assertEquals(0, (long) value(metrics, "hermod_queue_bulk_jobs", ""));

      for (String bad : List.of("state=frozen", "minAge=soon", "maxAge=-1h", "limit=0", "cursor=-3", "cursor=x")) {
        assertEquals(400, fx.http.get("/queue?" + bad).statusCode(), bad);
      }
      assertFalse(fx.spool.listed(), "the spool was walked");
    }
  }

  /** Every page from the start, following "next": the ids in page order. */
  static List<String> pageAll(OpsFixture fx, String query) throws Exception {
    List<String> ids = new ArrayList<>();
    String cursor = "";
    do {
      JsonObject page = fx.get("/queue?" + query + "&cursor=" + cursor);
      page.getJsonArray("messages").forEach(m -> ids.add(((JsonObject) m).getString("id")));
      cursor = page.getString("next");
    } while (cursor != null);
    return ids;
  }
}
