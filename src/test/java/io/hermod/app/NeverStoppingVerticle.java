package io.hermod.app;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;

/** An application whose stop() never completes: Hermod's stop must not wait for it beyond its grace. */
public class NeverStoppingVerticle extends VerticleBase {

  @Override
  public Future<?> stop() {
    return Promise.promise().future();
  }
}
