package io.hermod.app;

import io.hermod.config.AppVerticleConfig;
import io.hermod.config.ConfigException;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.logging.Logger;

/**
 * The application verticles of the "verticles" configuration (README "Your application and Hermod"). Hermod
 * deploys them once it is ready, so that their start() finds {@code hermod.submit} answering, and undeploys them
 * before anything of its own stops, so that their stop() can still submit.
 */
public final class AppVerticles {

  private static final Logger LOG = Logger.getLogger(AppVerticles.class.getName());

  private final Vertx vertx;
  private final List<AppVerticleConfig> configs;
  private final ClassLoader loader;
  private final Deque<Deployed> deployed = new ArrayDeque<>(); // newest first: undeployed in reverse order

  private record Deployed(String key, String className, String id) {
  }

  public AppVerticles(Vertx vertx, List<AppVerticleConfig> configs, ClassLoader loader) {
    this.vertx = vertx;
    this.configs = List.copyOf(configs);
    this.loader = loader;
  }

  /**
   * Deploys each entry in configuration order, one after the other (an application's second verticle may rely
   * on its first). Fails with the first failure, naming the entry ("verticles[1] (com.example.Mailer): ...");
   * what was deployed until then stays deployed, for {@link #undeploy} to stop.
   */
  public Future<Void> deploy() {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < configs.size(); i++) {
      String key = "verticles[" + i + "]";
      AppVerticleConfig c = configs.get(i);
      chain = chain.compose(v -> deployOne(key, c));
    }
    return chain;
  }

  private Future<Void> deployOne(String key, AppVerticleConfig c) {
    Class<? extends Deployable> type;
    try {
      type = VerticleClasses.resolve(c.className(), loader);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new ConfigException(key + ".class", e.getMessage()));
    }
    DeploymentOptions options = new DeploymentOptions().setInstances(c.instances()).setConfig(c.config().copy());
    return vertx.deployVerticle(type, options)
        .recover(e -> Future.failedFuture(new IllegalStateException(
            "application verticle " + key + " (" + c.className() + ") did not start: " + oneLine(e), e)))
        .map(id -> {
          deployed.push(new Deployed(key, c.className(), id));
          LOG.info("application verticle " + c.className() + " deployed (" + key + ", " + c.instances() + " instance"
              + (c.instances() == 1 ? "" : "s") + ")");
          return null;
        });
  }

  /** The failure's message (its type when it has none) on one line: Main prints it as the one line of a failed start. */
  private static String oneLine(Throwable e) {
    String text = e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage();
    return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }

  /**
   * Undeploys what {@link #deploy} deployed, newest first, one after the other. Never fails: a stop() that fails
   * is logged. Completes at the latest after {@code bound}, so that an application that never stops cannot keep
   * Hermod from draining and closing its spool; what is still stopping then is left to Vert.x's close.
   */
  public Future<Void> undeploy(Duration bound) {
    if (deployed.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Deployed> all = new ArrayList<>(deployed);
    deployed.clear();
    Future<Void> chain = Future.succeededFuture();
    for (Deployed d : all) {
      chain = chain.compose(v -> vertx.undeploy(d.id())
          .onSuccess(x -> LOG.info("application verticle " + d.className() + " stopped (" + d.key() + ")"))
          .otherwise(e -> {
            LOG.warning("application verticle " + d.className() + " (" + d.key() + ") failed to stop: " + e);
            return null;
          }));
    }
    Promise<Void> done = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, bound.toMillis()), t -> {
      if (done.tryComplete()) {
        LOG.warning("application verticles still stopping after " + bound.toSeconds() + " s (shutdownGraceSeconds);"
            + " Hermod stops anyway");
      }
    });
    chain.onComplete(x -> {
      vertx.cancelTimer(timer);
      done.tryComplete();
    });
    return done.future();
  }
}
