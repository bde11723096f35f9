package io.hermod.submit;

import io.hermod.api.Addresses;

import io.hermod.config.ConfigLoader;
import io.hermod.config.HermodConfig;
import io.hermod.spool.FileSpool;
import io.hermod.testing.TestHermod;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** A real FileSpool in a temporary folder (behind a {@link HoldingSpool}) and a deployed {@link SubmitVerticle}. */
final class SubmitFixture implements AutoCloseable {

  static final String HOSTNAME = "mx.hermod.test";

  final Vertx vertx;
  final HermodConfig config;
  final HoldingSpool spool;

  private SubmitFixture(Vertx vertx, HermodConfig config, HoldingSpool spool) {
    this.vertx = vertx;
    this.config = config;
    this.spool = spool;
  }

  /** @param limits merged into "limits" of the test configuration */
  static SubmitFixture start(Vertx vertx, Path dir, JsonObject limits, int maxInFlight) throws Exception {
    JsonObject json = TestHermod.baseConfig(dir).put("limits", limits);
    HermodConfig config = ConfigLoader.fromJson(json);
    HoldingSpool spool = new HoldingSpool(new FileSpool(vertx, config.spool()));
    await(spool.recover());
    await(vertx.deployVerticle(new SubmitVerticle(config, spool, Clock.systemUTC(), maxInFlight)));
    return new SubmitFixture(vertx, config, spool);
  }

  static SubmitFixture start(Vertx vertx, Path dir) throws Exception {
    return start(vertx, dir, new JsonObject(), SubmitVerticle.DEFAULT_MAX_IN_FLIGHT);
  }

  Future<JsonObject> submit(JsonObject request) {
    return vertx.eventBus().<JsonObject>request(Addresses.SUBMIT, request).map(m -> m.body());
  }

  /** Submits and expects a refusal with {@code code}; returns its message. */
  String refused(JsonObject request, int code) throws Exception {
    Throwable err = awaitFailure(submit(request));
    ReplyException re = assertInstanceOf(ReplyException.class, err);
    assertEquals(code, re.failureCode(), re.getMessage());
    return re.getMessage();
  }

  /** The spooled bytes of a committed message. */
  byte[] spooled(String id) throws Exception {
    io.hermod.spool.Spool.Content c = await(spool.content(id));
    byte[] all = Files.readAllBytes(c.file());
    return Arrays.copyOfRange(all, (int) c.offset(), (int) (c.offset() + c.length()));
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static Throwable awaitFailure(Future<?> future) throws Exception {
    try {
      future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  @Override
  public void close() throws Exception {
    spool.releaseCommits();
    await(spool.close());
  }
}
