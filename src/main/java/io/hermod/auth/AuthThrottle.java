package io.hermod.auth;

import io.hermod.config.AuthConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Brute-force protection for SMTP AUTH: per-IP failure counting ({@link FailureCounter}) and a delay before
 * every refusal, taken with a Vert.x timer so no thread waits.
 */
public final class AuthThrottle {

  /** More addresses than this are not tracked (least recently seen forgotten first). */
  public static final int MAX_TRACKED_ADDRESSES = 100_000;

  private final Vertx vertx;
  private final FailureCounter failures;
  private final long delayMillis;

  public AuthThrottle(Vertx vertx, FailureCounter failures, long delayMillis) {
    this.vertx = vertx;
    this.failures = failures;
    this.delayMillis = delayMillis;
  }

  public static AuthThrottle create(Vertx vertx, AuthConfig config) {
    return new AuthThrottle(vertx, new FailureCounter(config.maxFailures(), config.failureWindowSeconds() * 1000L,
        MAX_TRACKED_ADDRESSES, System::currentTimeMillis), config.failureDelayMillis());
  }

  public FailureCounter failures() {
    return failures;
  }

  /** Completes after the failure delay, on the caller's context. */
  public Future<Void> failureDelay() {
    if (delayMillis <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    vertx.setTimer(delayMillis, id -> done.complete());
    return done.future();
  }
}
