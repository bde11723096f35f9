package io.hermod.submit;

import io.hermod.api.Addresses;
import io.hermod.api.DeliveryEvent;
import io.hermod.api.HermodClient;
import io.hermod.api.Submission;
import io.hermod.api.SubmitResult;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailMessage;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.hermod.submit.SubmitFixture.await;
import static io.hermod.submit.SubmitFixture.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HermodClientTest {

  @TempDir
  Path dir;

  @Test
  void submitRoundTripWithRawTextAndWithAMailMessage(Vertx vertx) throws Exception {
    try (SubmitFixture hermod = SubmitFixture.start(vertx, dir)) {
      HermodClient client = HermodClient.create(vertx);
      SubmitResult raw = await(client.submit(Submission.builder().from("app@example.test")
          .to("a@remote.test", "b@remote.test").raw("Subject: hi\n\nhello\n").dsn("FULL", "e-1", "FAILURE", "DELAY")
          .tag("t-9").build()));
      assertEquals(2, raw.recipients());
      assertTrue(await(hermod.spool.list()).contains(raw.queueId()));
      assertEquals("e-1", await(hermod.spool.load(raw.queueId())).envid());
      String spooled = new String(hermod.spooled(raw.queueId()), StandardCharsets.UTF_8);
      assertTrue(spooled.contains("\r\nX-Hermod-Tag: t-9\r\n") && spooled.endsWith("Subject: hi\r\n\r\nhello\r\n"), spooled);

      SubmitResult structured = await(client.submit(Submission.builder().from("app@example.test").to("c@remote.test")
          .message(new MailMessage().setFrom("app@example.test").setSubject("s").setText("t")).build()));
      assertEquals(1, structured.recipients());
      assertTrue(await(hermod.spool.list()).contains(structured.queueId()));
    }
  }

  @Test
  void refusalsCarryTheCodeAndSayWhetherToRetry(Vertx vertx) throws Exception {
    try (SubmitFixture hermod = SubmitFixture.start(vertx, dir)) {
      HermodClient client = HermodClient.create(vertx);
      Submission ok = Submission.builder().from("app@example.test").to("a@remote.test").raw("Subject: x\r\n\r\n.\r\n").build();

      Throwable bad = awaitFailure(client.submit(Submission.builder().from("nope").to("a@remote.test").raw("x").build()));
      assertEquals(400, assertInstanceOf(ReplyException.class, bad).failureCode());
      assertFalse(HermodClient.isRetryable(bad));

      hermod.spool.overHighWater(true);
      Throwable full = awaitFailure(client.submit(ok));
      assertEquals(503, assertInstanceOf(ReplyException.class, full).failureCode());
      assertTrue(HermodClient.isRetryable(full));
    }
  }

  @Test
  void withoutHermodTheFailureIsRetryable(Vertx vertx) throws Exception {
    Throwable none = awaitFailure(HermodClient.create(vertx).submit(
        Submission.builder().from("a@b.test").to("c@d.test").raw("x").build()));
    assertTrue(HermodClient.isRetryable(none), none.toString());
  }

  @Test
  void beyondTheInFlightBoundSubmissionsGet503(Vertx vertx) throws Exception {
    try (SubmitFixture hermod = SubmitFixture.start(vertx, dir, new JsonObject(), 2)) {
      HermodClient client = HermodClient.create(vertx);
      Submission s = Submission.builder().from("app@example.test").to("a@remote.test").raw("Subject: x\r\n\r\ny\r\n").build();
      hermod.spool.holdCommits();
      List<Future<SubmitResult>> held = new ArrayList<>();
      held.add(client.submit(s));
      held.add(client.submit(s));
      hermod.spool.awaitHeldCommits(2);

      Throwable third = awaitFailure(client.submit(s));
      assertEquals(503, assertInstanceOf(ReplyException.class, third).failureCode());
      assertTrue(third.getMessage().contains("in flight"), third.getMessage());

      hermod.spool.releaseCommits();
      for (Future<SubmitResult> f : held) {
        String id = await(f).queueId();
        assertTrue(await(hermod.spool.list()).contains(id));
      }
      await(client.submit(s)); // the slots are free again
    }
  }

  @Test
  void theExampleVerticleQueuesItsTwoMessages(Vertx vertx) throws Exception {
    try (SubmitFixture hermod = SubmitFixture.start(vertx, dir)) {
      await(vertx.deployVerticle(new io.hermod.api.example.ExampleSenderVerticle(), new io.vertx.core.DeploymentOptions()
          .setConfig(new JsonObject().put("from", "app@example.test").put("to", "bob@remote.test"))));
      assertEquals(2, await(hermod.spool.list()).size());
    }
  }

  @Test
  void deliveryEventsAreDeliveredTypedAndMissingFieldsAreTolerated(Vertx vertx) throws Exception {
    Promise<DeliveryEvent> full = Promise.promise();
    Promise<DeliveryEvent> sparse = Promise.promise();
    MessageConsumer<JsonObject> consumer = HermodClient.create(vertx)
        .onEvent(e -> (full.future().isComplete() ? sparse : full).tryComplete(e));
    await(consumer.completion());

    vertx.eventBus().publish(Addresses.EVENTS, new JsonObject().put("queueId", "Q1").put("recipient", "a@remote.test")
        .put("outcome", "bounced").put("remoteHost", "mx.remote.test").put("code", 550).put("status", "5.1.1")
        .put("text", "user unknown").put("attempt", 2).put("arrival", "2026-01-05T10:00:00Z")
        .put("timestamp", "2026-01-05T10:05:00Z").put("sender", "app@example.test")
        .put("classification", "InvalidRecipient"));
    DeliveryEvent e = await(full.future());
    assertEquals(new DeliveryEvent("Q1", "a@remote.test", "bounced", "mx.remote.test", 550, "5.1.1", "user unknown",
        2, Instant.parse("2026-01-05T10:00:00Z"), Instant.parse("2026-01-05T10:05:00Z"), "app@example.test",
        "InvalidRecipient"), e);

    vertx.eventBus().publish(Addresses.EVENTS, new JsonObject().put("queueId", "Q2").put("outcome", "delivered")
        .put("timestamp", "not a date"));
    DeliveryEvent s = await(sparse.future());
    assertEquals("Q2", s.queueId());
    assertEquals("delivered", s.outcome());
    assertNull(s.code());
    assertNull(s.timestamp());
    assertNull(s.classification());
    assertEquals(0, s.attempt());
    await(consumer.unregister());
  }
}
