package io.hermod.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hermod.api.Addresses;
import io.hermod.api.HandOverObject;
import io.hermod.delivery.DeliveryBatch;
import io.hermod.delivery.DeliveryJob;
import io.hermod.delivery.DeliveryReport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The router's batch sender on a real event bus: one request on hermod.delivery.batch when something consumes
 * it; one job after another on hermod.delivery.job when nothing does (an application's own delivery consumer),
 * the batch address tried again a minute later.
 */
class BatchRequestsTest {

  private final Vertx vertx = Vertx.vertx();
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(now.get());
    }
  };
  private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
  private final io.vertx.core.Context context = vertx.getOrCreateContext();
  private BatchRequests requests;

  @BeforeEach
  void setUp() {
    HandOverObject.registerDefault(vertx.eventBus(), DeliveryJob.class);
    HandOverObject.registerDefault(vertx.eventBus(), DeliveryReport.class);
    HandOverObject.registerDefault(vertx.eventBus(), DeliveryBatch.class);
    HandOverObject.registerDefault(vertx.eventBus(), DeliveryBatch.Reports.class);
    vertx.eventBus().<DeliveryJob>localConsumer(Addresses.DELIVERY_JOB, m -> {
      seen.add("job " + m.body().queueId());
      m.reply(report(m.body()));
    });
    requests = new BatchRequests(vertx.eventBus(), context, clock, () -> 5_000, job -> vertx.eventBus()
        .request(Addresses.DELIVERY_JOB, job, Addresses.nodeLocal()).map(m -> (DeliveryReport) m.body()));
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static DeliveryJob job(String id) {
    return new DeliveryJob(id, "d.test", List.of(new DeliveryJob.Host("mx", "127.0.0.1", 25)), "s@o.test",
        List.of(new DeliveryJob.Rcpt("r@d.test", "")), "", false, "/spool/" + id, 0, 10);
  }

  private static DeliveryReport report(DeliveryJob job) {
    return new DeliveryReport("mx", "127.0.0.1", List.of(new DeliveryReport.Result(job.queueId() + "@d.test",
        DeliveryReport.Outcome.DELIVERED, 250, "2.0.0", "ok", true)));
  }

  private List<String> send(String... ids) throws Exception {
    Future<List<DeliveryReport>> sent = Future.<Future<List<DeliveryReport>>>future(
        p -> context.runOnContext(v -> p.complete(requests.send(java.util.Arrays.stream(ids).map(
            BatchRequestsTest::job).toList(), (index, report) -> {
              if (io.vertx.core.Vertx.currentContext() != context) {
                throw new AssertionError("progress heard off the sender's context");
              }
              seen.add("progress " + index + " " + report.results().get(0).address());
            })))).compose(f -> f);
    return sent.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).stream()
        .map(r -> r.results().get(0).address()).toList();
  }

  @Test
  void withABatchConsumerTheJobsGoAsOneRequest() throws Exception {
    MessageConsumer<DeliveryBatch> batches = vertx.eventBus().localConsumer(Addresses.DELIVERY_BATCH, m -> {
      seen.add("batch of " + m.body().jobs().size());
      List<DeliveryReport> reports = m.body().jobs().stream().map(BatchRequestsTest::report).toList();
      m.body().progress().reported(0, reports.get(0)); // the first job's report, before the others end
      m.reply(new DeliveryBatch.Reports(reports));
    });
    batches.completion().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);

    assertEquals(List.of("A@d.test", "B@d.test", "C@d.test"), send("A", "B", "C"));
    assertEquals(List.of("batch of 3", "progress 0 A@d.test"), seen);
  }

  @Test
  void withoutOneTheJobsGoOneByOneUntilAMinuteHasPassed() throws Exception {
    assertEquals(List.of("A@d.test", "B@d.test"), send("A", "B"));
    assertEquals(List.of("job A", "progress 0 A@d.test", "job B", "progress 1 B@d.test"), seen);
    seen.clear();

    MessageConsumer<DeliveryBatch> batches = vertx.eventBus().localConsumer(Addresses.DELIVERY_BATCH, m -> {
      seen.add("batch of " + m.body().jobs().size());
      m.reply(new DeliveryBatch.Reports(m.body().jobs().stream().map(BatchRequestsTest::report).toList()));
    });
    batches.completion().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals(List.of("C@d.test", "D@d.test"), send("C", "D"));
    assertEquals(List.of("job C", "progress 0 C@d.test", "job D", "progress 1 D@d.test"), seen,
        "within the minute: still one by one");

    now.addAndGet(BatchRequests.LOOK_AGAIN_MILLIS);
    assertEquals(List.of("E@d.test", "F@d.test"), send("E", "F"));
    assertEquals("batch of 2", seen.get(seen.size() - 1));
  }
}
