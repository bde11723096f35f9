package io.hermod.config;

import io.vertx.core.json.JsonObject;

/**
 * An application verticle deployed with Hermod ("verticles[]", README "Your application and Hermod").
 *
 * @param className the verticle's class, on the class path ("verticles[].class")
 * @param config    its configuration, as {@code config()} returns it ("verticles[].config")
 * @param instances how many instances ("verticles[].instances")
 */
public record AppVerticleConfig(String className, JsonObject config, int instances) {
}
