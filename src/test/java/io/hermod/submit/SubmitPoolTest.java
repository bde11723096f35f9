package io.hermod.submit;

import io.hermod.api.Addresses;
import io.hermod.api.HermodClient;
import io.hermod.api.Submission;

import io.hermod.testing.RecoveredEnvelopes;
import static io.hermod.submit.SubmitFixture.await;
import static io.hermod.submit.SubmitFixture.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.config.ConfigLoader;
import io.hermod.config.HermodConfig;
import io.hermod.smtp.BodyType;
import io.hermod.spool.Envelope;
import io.hermod.spool.FileSpool;
import io.hermod.spool.Recipient;
import io.hermod.testing.TestHermod;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The hermod.submit "pool" field: checked against delivery.pools, stored in the envelope, kept across a restart. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SubmitPoolTest {

  @TempDir
  Path dir;

  @Test
  void theRequestedPoolIsSpooledAndSurvivesARestart(Vertx vertx) throws Exception {
    HermodConfig config = ConfigLoader.fromJson(TestHermod.baseConfig(dir).put("delivery", new JsonObject()
        .put("sources", new JsonObject().put("ip1", new JsonObject().put("address", "127.0.0.2")))
        .put("pools", new JsonObject().put("bulk", new JsonObject().put("ip1", 1)))));
    FileSpool spool = new FileSpool(vertx, config.spool());
    await(spool.recover());
    await(vertx.deployVerticle(new SubmitVerticle(config, spool, Clock.systemUTC(), 8)));
    HermodClient client = HermodClient.create(vertx);
    String id = await(client.submit(Submission.builder().from("app@example.test").to("bob@remote.test")
        .raw("Subject: hi\r\n\r\nhello\r\n").pool("bulk").build())).queueId();
    String plain = await(client.submit(Submission.builder().from("app@example.test").to("bob@remote.test")
        .raw("Subject: hi\r\n\r\nhello\r\n").build())).queueId();
    assertEquals("bulk", await(spool.load(id)).pool());
    assertNull(await(spool.load(plain)).pool());

    ReplyException unknown = assertInstanceOf(ReplyException.class, awaitFailure(vertx.eventBus().request(
        Addresses.SUBMIT, Submission.builder().from("app@example.test").to("bob@remote.test")
            .raw("Subject: hi\r\n\r\nhello\r\n").pool("tx").build().toJson())));
    assertEquals(400, unknown.failureCode());
    assertEquals("\"pool\" must name a pool of delivery.pools [bulk]", unknown.getMessage());
    ReplyException notText = assertInstanceOf(ReplyException.class, awaitFailure(vertx.eventBus().request(
        Addresses.SUBMIT, Submission.builder().from("app@example.test").to("bob@remote.test")
            .raw("x\r\n").build().toJson().put("pool", 7))));
    assertEquals(400, notText.failureCode());
    assertEquals(2, await(spool.list()).size(), "nothing spooled for the refused requests");

    await(spool.close());
    FileSpool restarted = new FileSpool(vertx, config.spool());
    List<Envelope> recovered = await(RecoveredEnvelopes.recover(restarted));
    assertEquals(2, recovered.size());
    assertEquals("bulk", await(restarted.load(id)).pool());
    assertNull(await(restarted.load(plain)).pool());
    await(restarted.close());
  }

  @Test
  void envelopeJsonKeepsThePoolAndOldEnvelopesHaveNone() {
    Instant t = Instant.parse("2026-01-02T03:04:05Z");
    Envelope env = new Envelope("id1", "a@x.test", List.of(Recipient.pending("b@y.test", null, Set.of())), null,
        null, BodyType.SEVEN_BIT, false, null, null, null, "bus", t, 10, t, false, false);
    assertNull(env.pool());
    assertFalse(env.toJson().containsKey("pool"), "no key without a pool: spools stay as they were");
    Envelope pooled = env.withPool("bulk");
    JsonObject json = new JsonObject(pooled.toJson().encode());
    assertEquals("bulk", json.getString("pool"));
    assertEquals(pooled, Envelope.fromJson(json));
    assertEquals("bulk", pooled.withSize(99).withHeld(true).withDelayWarned(true).withNextAttempt(t)
        .withPrependHeaders("X: y\r\n").withBounceDsnId("d1").mapRecipients(r -> r).pool());
    // An envelope written before the field existed.
    JsonObject old = new JsonObject().put("version", 1).put("id", "id0").put("sender", "a@x.test")
        .put("recipients", new JsonArray().add(Recipient.pending("b@y.test", null, Set.of()).toJson()))
        .put("body", "SEVEN_BIT").put("arrival", t.toString()).put("nextAttempt", t.toString());
    assertNull(Envelope.fromJson(old).pool());
    assertTrue(Envelope.fromJson(old).recipients().size() == 1);
  }
}
