package io.hermod.app;

import io.vertx.core.VerticleBase;

/** A verticle Vert.x could not instantiate by its class name: the configuration must say so at start. */
public class HiddenConstructorVerticle extends VerticleBase {

  public HiddenConstructorVerticle(String required) {
    // an application's own wiring; not deployable by name
  }
}
