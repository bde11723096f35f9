package io.hermod;

import io.hermod.api.Addresses;
import io.hermod.api.SubmitVerticle;
import io.hermod.config.HermodConfig;
import io.hermod.config.ListenerConfig;
import io.hermod.server.ListenerVerticle;
import io.hermod.server.ServerContext;
import io.hermod.spool.FileSpool;
import io.hermod.spool.Spool;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * One running Hermod: the spool recovered, then one verticle per role deployed. {@link Main} uses it, and
 * so do tests that want a whole instance in their own Vert.x.
 */
public final class Hermod {

  private static final Logger LOG = Logger.getLogger(Hermod.class.getName());

  private final Vertx vertx;
  private final HermodConfig config;
  private final Spool spool;
  private final ServerContext serverContext;
  private final List<String> deployments = new ArrayList<>();
  private final List<ListenerVerticle> listeners = new ArrayList<>();

  private Hermod(Vertx vertx, HermodConfig config, Spool spool) {
    this.vertx = vertx;
    this.config = config;
    this.spool = spool;
    this.serverContext = ServerContext.create(config, spool,
        id -> vertx.eventBus().send(Addresses.ROUTER_TRIGGER, new JsonObject().put("id", id)));
  }

  /** Recovers the spool, then starts the listeners. Fails if a port cannot be bound. */
  public static Future<Hermod> start(Vertx vertx, HermodConfig config) {
    Spool spool = new FileSpool(vertx, config.spool());
    Hermod hermod = new Hermod(vertx, config, spool);
    return spool.recover()
        .onSuccess(queued -> LOG.info("spool " + config.spool().directory() + ": recovered " + queued.size()
            + " queued message(s)"))
        .compose(queued -> hermod.deployListeners())
        .compose(v -> hermod.deploy(new SubmitVerticle(config, spool)))
        .map(hermod);
  }

  private Future<Void> deployListeners() {
    Future<Void> chain = Future.succeededFuture();
    for (ListenerConfig lc : config.listeners()) {
      chain = chain.compose(v -> {
        ListenerVerticle verticle = new ListenerVerticle(lc, serverContext);
        return vertx.deployVerticle(verticle, new DeploymentOptions()).map(id -> {
          deployments.add(id);
          listeners.add(verticle);
          LOG.info("listening for " + lc.role().name().toLowerCase() + " on " + lc.host() + ":"
              + verticle.actualPort() + " (" + lc.name() + ")");
          return null;
        });
      });
    }
    return chain;
  }

  private Future<Void> deploy(io.vertx.core.Deployable verticle) {
    return vertx.deployVerticle(verticle).map(id -> deployments.add(id)).mapEmpty();
  }

  /** The port a listener is bound to, by its index in the configuration. */
  public int port(int listenerIndex) {
    return listeners.get(listenerIndex).actualPort();
  }

  public Spool spool() {
    return spool;
  }

  public HermodConfig config() {
    return config;
  }

  /**
   * Graceful stop (SIGTERM): new sessions and transactions get 421 4.3.2, transactions in flight may
   * finish within {@code shutdownGraceSeconds}, then the verticles stop and the spool closes.
   */
  public Future<Void> stop() {
    serverContext.drain().start();
    Promise<Void> graceOver = Promise.promise();
    long deadline = System.nanoTime() + config.shutdownGraceSeconds() * 1_000_000_000L;
    vertx.setPeriodic(100, id -> {
      if (serverContext.limiter().open() == 0 || System.nanoTime() > deadline) {
        vertx.cancelTimer(id);
        graceOver.tryComplete();
      }
    });
    return graceOver.future()
        .compose(v -> undeployAll())
        .compose(v -> spool.close());
  }

  private Future<Void> undeployAll() {
    List<Future<Void>> all = new ArrayList<>();
    for (String id : deployments) {
      all.add(vertx.undeploy(id));
    }
    deployments.clear();
    return Future.join(all).mapEmpty();
  }
}
