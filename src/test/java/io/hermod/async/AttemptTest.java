package io.hermod.async;

import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttemptTest {

  @Test
  void theStartersFutureIsPassedOn() {
    Future<String> started = Future.succeededFuture("sent");
    assertSame(started, Attempt.of(() -> started));
  }

  @Test
  void aStarterThatThrowsGivesAFailedFutureWithItsException() {
    IllegalStateException thrown = new IllegalStateException("no consumer");
    Future<String> f = Attempt.of(() -> {
      throw thrown;
    });
    assertTrue(f.failed());
    assertSame(thrown, f.cause());
  }

  @Test
  void aFailedFutureStaysTheStartersOwn() {
    Future<Integer> f = Attempt.of(() -> Future.failedFuture("refused"));
    assertTrue(f.failed());
    assertEquals("refused", f.cause().getMessage());
  }
}
