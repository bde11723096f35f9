package io.hermod.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hermod.smtp.BodyType;
import io.hermod.smtp.DsnRet;
import io.hermod.spool.Envelope;
import io.hermod.spool.Recipient;
import io.hermod.testing.ForwardingSpool;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: the queue admin's whole-queue walks (summary, counts by state, list with a filter that matches
 * late) over 10^5 messages whose envelopes are read synchronously: one envelope at a time, constant stack.
 */
class QueueAdminDepthTest {

  static final int DEPTH = 100_000;

  /** 10^5 deferred messages to remote.test; the last one is held. Only list() and load() are used. */
  private static final class DeepQueue extends ForwardingSpool {
    private final Instant now = Instant.now();

    DeepQueue() {
      super(null);
    }

    @Override
    public Future<List<String>> list() {
      return Future.succeededFuture(IntStream.range(0, DEPTH).mapToObj(i -> "q" + i).toList());
    }

    @Override
    public Future<Envelope> load(String id) {
      boolean last = id.equals("q" + (DEPTH - 1));
      return Future.succeededFuture(new Envelope(id, "s@local.test",
          List.of(Recipient.pending("r@remote.test", null, Set.of())), null, DsnRet.HDRS, BodyType.SEVEN_BIT, false,
          "127.0.0.1", "client.test", null, "mx", now, 100, now.plusSeconds(3600), last, false));
    }
  }

  private final QueueAdmin admin = new QueueAdmin(new DeepQueue(), Clock.systemUTC(), id -> false, id -> { },
      id -> Future.failedFuture("no router"));

  @Test
  void summaryCountsEveryOneOfAHundredThousandMessages() {
    Future<JsonObject> summary = admin.summary();
    assertEquals(null, summary.cause());
    assertEquals(DEPTH, summary.result().getJsonObject("total").getLong("total"), summary.result().encode());
  }

  @Test
  void countsByStateAndAFilterMatchingOnlyTheLastMessageWalkTheWholeQueue() {
    Future<Map<String, Long>> counts = admin.countByState();
    assertEquals(Map.of("deferred", (long) DEPTH - 1, "held", 1L), counts.result());
    Future<JsonObject> held = admin.list(new QueueAdmin.Filter(null, null, "held", 10));
    assertEquals(1, held.result().getInteger("count"));
  }
}
