package io.hermod;

import io.hermod.admin.QueueCommand;
import io.hermod.auth.UserCommand;
import io.hermod.config.ConfigException;
import io.hermod.config.ConfigLoader;
import io.hermod.config.LoggingConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar hermod.jar [-conf FILE]}: loads the configuration (FILE, default conf/hermod.json or
 * $HERMOD_CONFIG), starts Hermod, and stops it gracefully on SIGTERM/SIGINT.
 */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) throws InterruptedException {
    String conf = System.getenv().getOrDefault("HERMOD_CONFIG", "conf/hermod.json");
    if (args.length > 0 && args[0].equals("queue")) {
      // Queue admin through the HTTP API of a running instance (docs/operations.md); does not start the server.
      System.exit(new QueueCommand(System.out, System.err, System.getenv())
          .run(Arrays.copyOfRange(args, 1, args.length)));
    }
    if (args.length > 0 && args[0].equals("user")) {
      // User file management (docs/security.md); does not start the server.
      System.exit(new UserCommand(System.in, System.out, System.err, System.console())
          .run(Arrays.copyOfRange(args, 1, args.length), conf));
    }
    for (int i = 0; i < args.length; i++) {
      if ((args[i].equals("-conf") || args[i].equals("--conf")) && i + 1 < args.length) {
        conf = args[++i];
      } else if (args[i].equals("-h") || args[i].equals("--help")) {
        System.out.println("usage: java -jar hermod.jar [-conf FILE]   (default conf/hermod.json or $HERMOD_CONFIG)");
        System.out.println("       java -jar hermod.jar queue list|show|flush|hold|release|delete|bounce|summary ..."
            + "   (docs/operations.md)");
        System.out.println("       java -jar hermod.jar user add|passwd|del|list ...   (SMTP AUTH users, docs/security.md)");
        return;
      } else {
        System.err.println("hermod: unknown argument '" + args[i] + "' (try --help)");
        System.exit(2);
      }
    }
    Logging.configure(LoggingConfig.Format.TEXT); // until the configuration says otherwise
    // Vert.x's own metrics (event loops, event bus, net servers) go to the same registry as Hermod's.
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    Hermod hermod;
    try {
      hermod = ConfigLoader.load(vertx, conf)
          .onSuccess(config -> Logging.configure(config.logging().format()))
          .compose(config -> Hermod.start(vertx, config, registry))
          .await();
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      vertx.close();
      System.exit(1);
      return;
    } catch (Exception e) {
      System.err.println("hermod: cannot start: " + e.getMessage());
      vertx.close();
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        hermod.stop().eventually(() -> vertx.close()).toCompletionStage().toCompletableFuture()
            .get(hermod.config().shutdownGraceSeconds() + 10L, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("hermod: unclean shutdown: " + e);
      }
      stopped.countDown();
    }, "hermod-shutdown"));
    stopped.await();
  }
}
