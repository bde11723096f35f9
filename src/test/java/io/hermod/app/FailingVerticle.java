package io.hermod.app;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** An application verticle whose start() fails: Hermod's start must fail with it and leave nothing held. */
public class FailingVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    return Future.failedFuture("no database at " + config().getString("database", "?"));
  }
}
