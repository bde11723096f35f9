package io.hermod.submit;

import io.hermod.api.Addresses;

import static io.hermod.submit.SubmitFixture.await;
import static io.hermod.submit.SubmitFixture.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.config.ConfigLoader;
import io.hermod.config.FlowConfig;
import io.hermod.config.HermodConfig;
import io.hermod.flow.FlowGate;
import io.hermod.metrics.HermodMetrics;
import io.hermod.spool.FileSpool;
import io.hermod.testing.TestHermod;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** hermod.submit under flow control: the reply waits after the commit, and far over the high mark it is 503. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SubmitFlowTest {

  private static final JsonObject REQUEST = new JsonObject().put("from", "app@example.test")
      .put("to", new JsonArray().add("bob@remote.test")).put("raw", "Subject: hi\r\n\r\nhello\r\n");

  @TempDir
  Path dir;
  private final AtomicLong backlog = new AtomicLong();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private FileSpool spool;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    HermodConfig config = ConfigLoader.fromJson(TestHermod.baseConfig(dir));
    spool = new FileSpool(vertx, config.spool());
    await(spool.recover());
    // low 10, high 100: 2 s of delay at the high mark, refused at 200; no burst allowance
    FlowGate flow = new FlowGate(vertx, backlog::get, new FlowConfig(true, 10, 100, 2000, 0),
        () -> System.nanoTime() / 1_000_000, new HermodMetrics(registry));
    await(vertx.deployVerticle(new SubmitVerticle(() -> config, spool, Clock.systemUTC(), 8, flow)));
  }

  @Test
  void belowTheLowMarkTheReplyDoesNotWait(Vertx vertx) throws Exception {
    backlog.set(10);
    await(submit(vertx));
    assertEquals(0.0, delayed());
  }

  @Test
  void whileDeliveryLagsTheCommittedMessageIsTriggeredAtOnceAndTheReplyWaits(Vertx vertx) throws Exception {
    backlog.set(100); // the high mark: the whole 2 s
    Promise<String> trigger = Promise.promise();
    await(vertx.eventBus().<JsonObject>consumer(Addresses.ROUTER_TRIGGER, m -> trigger.tryComplete(m.body().getString("id")))
        .completion());
    Future<JsonObject> reply = submit(vertx);
    String id = await(trigger.future());
    assertTrue(await(spool.list()).contains(id), "committed before the router is told");
    assertFalse(reply.isComplete(), "the reply did not wait for the flow delay");
    assertEquals(id, await(reply).getString("queueId"));
    assertEquals(1.0, delayed());
  }

  @Test
  void atTwiceTheHighMarkASubmissionIsRefusedWith503AndNothingIsQueued(Vertx vertx) throws Exception {
    backlog.set(200);
    ReplyException refused = assertInstanceOf(ReplyException.class, awaitFailure(submit(vertx)));
    assertEquals(503, refused.failureCode());
    assertTrue(refused.getMessage().startsWith("retry later: delivery is far behind"), refused.getMessage());
    assertEquals(List.of(), await(spool.list()));
    backlog.set(0);
    await(submit(vertx));
  }

  private static Future<JsonObject> submit(Vertx vertx) {
    return vertx.eventBus().<JsonObject>request(Addresses.SUBMIT, REQUEST).map(m -> m.body());
  }

  private double delayed() {
    return registry.find("hermod.flow.delayed").tag("intake", "submit").counters().stream()
        .mapToDouble(c -> c.count()).sum();
  }
}
