package io.hermod.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.spool.Envelope;
import io.hermod.spool.Spool;
import io.hermod.testing.ForwardingSpool;
import io.hermod.testing.Wait;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Bulk actions in the background over a real FileSpool: counts, the envelopes on disk, cancel, a restart. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BulkJobsTest {

  @TempDir
  Path temp;

  @Test
  void holdByDomainHoldsEveryMatchingMessageOnDiskAndNothingElse() throws Exception {
    try (OpsFixture fx = OpsFixture.start(temp)) {
      List<String> ids = fx.queue(20_000, i -> "r" + i + "@d" + (i % 4) + ".test");
      assertEquals(400, fx.http.post("/queue/bulk", "{\"action\":\"hold\"}").statusCode(), "no filter, no \"all\"");
      assertEquals(400, fx.http.post("/queue/bulk", "{\"action\":\"freeze\",\"domain\":\"d1.test\"}").statusCode());
      assertEquals(400, fx.http.post("/queue/bulk", "hold everything").statusCode());

      String job = submit(fx, new JsonObject().put("action", "hold").put("domain", "D1.test"));
      JsonObject end = awaitEnd(fx, job);
      assertEquals("done", end.getString("state"), end.encode());
      assertEquals(5000, end.getLong("matched"), end.encode());
      assertEquals(5000, end.getLong("done"), end.encode());
      assertEquals(0, end.getLong("skipped") + end.getLong("errors"), end.encode());
      assertNotNull(end.getString("finishedAt"));
      assertHeldExactly(fx, ids, i -> i % 4 == 1);

      assertEquals(job, fx.get("/queue/bulk").getJsonArray("jobs").getJsonObject(0).getString("job"));
      assertEquals("done", onDisk(job).getString("state"));
      assertEquals(409, fx.http.delete("/queue/bulk/" + job).statusCode(), "already done");
      assertEquals(404, fx.http.get("/queue/bulk/nope").statusCode());

      JsonObject released = awaitEnd(fx, submit(fx, new JsonObject().put("action", "release").put("state", "held")));
      assertEquals(5000, released.getLong("done"), released.encode());
      assertHeldExactly(fx, ids, i -> false);
      assertFalse(fx.spool.listed(), "the spool was walked");
    }
  }

  @Test
  void aJobCutShortByARestartStartsOverAndFinishes() throws Exception {
    List<String> ids;
    String job;
    Gate gate = new Gate(1500);
    try (OpsFixture fx = OpsFixture.start(temp, gate::around)) {
      ids = fx.queue(10_000, i -> "r" + i + "@d" + (i % 2) + ".test");
      job = submit(fx, new JsonObject().put("action", "hold").put("domain", "d0.test"));
      // Three pages done, the fourth's updates never complete: Hermod goes away in the middle of the job.
      Wait.until(() -> progress(fx, job).getLong("done") == 1500, "three pages of the job", 120);
    }
    assertEquals("running", onDisk(job).getString("state"));
    try (OpsFixture fx = OpsFixture.start(temp)) {
      JsonObject end = awaitEnd(fx, job);
      assertEquals("done", end.getString("state"), end.encode());
      assertEquals(5000, end.getLong("matched"), end.encode());
      assertEquals(5000, end.getLong("done"), end.encode());
      assertEquals(1, end.getInteger("restarts"), end.encode());
      assertHeldExactly(fx, ids, i -> i % 2 == 0);
    }
  }

  @Test
  void aCancelledJobStopsAfterTheMessagesInFlight() throws Exception {
    Gate gate = new Gate(1000);
    try (OpsFixture fx = OpsFixture.start(temp, gate::around)) {
      List<String> ids = fx.queue(5000, i -> "r" + i + "@local.test");
      String job = submit(fx, new JsonObject().put("action", "hold").put("all", true));
      Wait.until(() -> progress(fx, job).getLong("done") == 1000, "two pages of the job", 120);
      assertEquals(1, (long) MetricsAndHealthTest.value(fx.http.get("/metrics").body(), "hermod_queue_bulk_jobs", ""));
      assertEquals(200, fx.http.delete("/queue/bulk/" + job).statusCode());
      gate.open();
      JsonObject end = awaitEnd(fx, job);
      assertEquals("cancelled", end.getString("state"), end.encode());
      assertTrue(end.getLong("done") < 5000, end.encode());
      long held = ids.stream().filter(id -> fx.spool.load(id).await().held()).count();
      assertEquals(end.getLong("done"), held, "every message counted done is held, no other: " + end.encode());
    }
  }

  /** Lets the first {@code passing} updates through; parks the others until {@link #open}. */
  private static final class Gate {
    private final int passing;
    private final List<Runnable> parked = new ArrayList<>();
    private int passed;
    private boolean opened;

    Gate(int passing) {
      this.passing = passing;
    }

    Spool around(Spool real) {
      return new ForwardingSpool(real) {
        @Override
        public Future<Void> update(Envelope envelope) {
          synchronized (Gate.this) {
            if (opened || ++passed <= passing) {
              return real.update(envelope);
            }
            Promise<Void> later = Promise.promise();
            Context context = Vertx.currentContext(); // the caller's, where its futures complete
            parked.add(() -> context.runOnContext(v -> real.update(envelope).onComplete(later)));
            return later.future();
          }
        }
      };
    }

    synchronized void open() {
      opened = true;
      parked.forEach(Runnable::run);
    }
  }

  private static String submit(OpsFixture fx, JsonObject request) throws Exception {
    return OpsFixture.ok(fx.http.post("/queue/bulk", request.encode()), 202).getString("job");
  }

  private static JsonObject progress(OpsFixture fx, String job) {
    try {
      return fx.get("/queue/bulk/" + job);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static JsonObject awaitEnd(OpsFixture fx, String job) throws InterruptedException {
    Wait.until(() -> !"running".equals(progress(fx, job).getString("state")), "the end of bulk job " + job, 240);
    return progress(fx, job);
  }

  private JsonObject onDisk(String job) throws Exception {
    return new JsonObject(Files.readString(temp.resolve("bulk").resolve(job + ".json")));
  }

  /** The envelopes on disk: held exactly where {@code held} says (by the message's number). */
  private static void assertHeldExactly(OpsFixture fx, List<String> ids, IntPredicate held) {
    for (int i = 0; i < ids.size(); i++) {
      assertEquals(held.test(i), fx.spool.load(ids.get(i)).await().held(), "message " + i);
    }
  }
}
