package io.hermod.testing;

import io.hermod.Hermod;
import io.hermod.config.ConfigLoader;
import io.hermod.config.HermodConfig;
import io.hermod.spool.Spool;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.function.BiFunction;

/** A whole Hermod in a test's own Vert.x, on 127.0.0.1 port 0, with its spool in a temporary folder. */
public final class TestHermod implements AutoCloseable {

  public final Vertx vertx;
  public final Hermod hermod;
  public final Path spoolDir;

  private TestHermod(Vertx vertx, Hermod hermod, Path spoolDir) {
    this.vertx = vertx;
    this.hermod = hermod;
    this.spoolDir = spoolDir;
  }

  /**
   * The base test configuration: local domain local.test, only 127.0.0.1 trusted, one mx listener without TLS
   * (so that no certificate is generated; TLS tests set their own listeners), DNS on a silent loopback port.
   */
  public static JsonObject baseConfig(Path spoolDir) {
    return new JsonObject()
        .put("hostname", "mx.hermod.test")
        .put("localDomains", new JsonArray().add("local.test"))
        .put("trustedNetworks", new JsonArray().add("127.0.0.1/32"))
        .put("listeners", new JsonArray().add(new JsonObject()
            .put("name", "mx").put("host", "127.0.0.1").put("port", 0).put("role", "mx").put("tls", "none")))
        .put("spool", new JsonObject().put("directory", spoolDir.toString()))
        // The router runs too: keep its DNS on loopback, where nothing answers (lookups defer, never leave the host).
        .put("dns", new JsonObject().put("resolvers", new JsonArray().add("127.0.0.1:9")).put("timeoutMillis", 500))
        // The operations HTTP server on a free port (the default 8025 would clash between tests).
        .put("http", new JsonObject().put("port", 0))
        // SPF would ask that silent DNS about every untrusted client: tests that check SPF turn it on.
        .put("spf", new JsonObject().put("policy", "off"))
        .put("shutdownGraceSeconds", 2);
  }

  public static TestHermod start(Path spoolDir, JsonObject overrides) {
    return start(Vertx.vertx(), spoolDir, overrides, null);
  }

  /** On a Vert.x of the caller's (a clustered one), which {@link #close()} closes too. */
  public static TestHermod start(Vertx vertx, Path spoolDir, JsonObject overrides) {
    return start(vertx, spoolDir, overrides, null);
  }

  /** As {@link #start(Path, JsonObject)} on the spool {@code spoolFactory} builds (e.g. a fault-injecting decorator). */
  public static TestHermod start(Path spoolDir, JsonObject overrides, BiFunction<Vertx, HermodConfig, Spool> spoolFactory) {
    return start(Vertx.vertx(), spoolDir, overrides, spoolFactory);
  }

  private static TestHermod start(Vertx vertx, Path spoolDir, JsonObject overrides,
                                  BiFunction<Vertx, HermodConfig, Spool> spoolFactory) {
    JsonObject json = baseConfig(spoolDir).mergeIn(overrides, true);
    HermodConfig config = ConfigLoader.fromJson(json);
    try {
      Hermod hermod = (spoolFactory == null ? Hermod.start(vertx, config)
          : Hermod.start(vertx, config, spoolFactory.apply(vertx, config))).await();
      return new TestHermod(vertx, hermod, spoolDir);
    } catch (RuntimeException e) {
      vertx.close().await();
      throw e;
    }
  }

  public int port() {
    return hermod.port(0);
  }

  /** The operations HTTP server's port (metrics, health, queue admin). */
  public int httpPort() {
    return hermod.httpPort();
  }

  @Override
  public void close() {
    try {
      hermod.stop().await();
    } finally {
      vertx.close().await();
    }
  }
}
