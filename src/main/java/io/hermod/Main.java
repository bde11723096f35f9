package io.hermod;

import io.hermod.admin.QueueCommand;
import io.hermod.auth.UserCommand;
import io.hermod.cluster.ClusteredVertx;
import io.hermod.config.ConfigException;
import io.hermod.config.ConfigLoader;
import io.hermod.config.HermodConfig;
import io.hermod.config.LoggingConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * {@code java -jar hermod.jar [-conf FILE] [-cluster] [-cluster-host HOST]}: loads the configuration (FILE,
 * default conf/hermod.json or $HERMOD_CONFIG), starts Hermod (on a clustered Vert.x when cluster.enabled,
 * docs/cluster.md), and stops it gracefully on SIGTERM/SIGINT. With an application's jar on the class path
 * ({@code java -cp hermod.jar:app.jar io.hermod.Main -conf FILE}) it deploys the verticles the configuration's
 * "verticles" list names (README "Your application and Hermod").
 */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) throws InterruptedException {
    // Before anything logs (no static Logger in this class: it would pick the LogManager before this line).
    if (System.getProperty("java.util.logging.manager") == null) {
      System.setProperty("java.util.logging.manager", HermodLogManager.class.getName());
    }
    long startedAt = System.nanoTime();
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
    Map<String, String> flags = new LinkedHashMap<>(); // configuration keys set by flags, the last layer
    for (int i = 0; i < args.length; i++) {
      if ((args[i].equals("-conf") || args[i].equals("--conf")) && i + 1 < args.length) {
        conf = args[++i];
      } else if (args[i].equals("-cluster") || args[i].equals("--cluster")) {
        flags.put("hermod.cluster.enabled", "true");
      } else if ((args[i].equals("-cluster-host") || args[i].equals("--cluster-host")) && i + 1 < args.length) {
        flags.put("hermod.cluster.enabled", "true");
        flags.put("hermod.cluster.host", args[++i]);
      } else if (args[i].equals("-h") || args[i].equals("--help")) {
        System.out.println("usage: java -jar hermod.jar [-conf FILE] [-cluster] [-cluster-host HOST]");
        System.out.println("       (FILE: default conf/hermod.json or $HERMOD_CONFIG; -cluster: cluster.enabled,");
        System.out.println("        -cluster-host: cluster.host and clustered; see docs/cluster.md)");
        System.out.println("       java -cp hermod.jar:app.jar io.hermod.Main [-conf FILE] ...");
        System.out.println("       (with your application's verticles, named in the configuration's \"verticles\";");
        System.out.println("        README \"Your application and Hermod\")");
        System.out.println("       java -jar hermod.jar queue list|show|flush|hold|release|delete|bounce|summary|sites ..."
            + "   (docs/operations.md)");
        System.out.println("       java -jar hermod.jar user add|passwd|domains|del|list ...   (SMTP AUTH users, docs/security.md)");
        return;
      } else {
        System.err.println("hermod: unknown argument '" + args[i] + "' (try --help)");
        System.exit(2);
      }
    }
    Logging.configure(LoggingConfig.Format.TEXT); // until the configuration says otherwise
    Vertx plain = Vertx.vertx();
    HermodConfig config;
    try {
      config = ConfigLoader.load(plain, conf, flags).await();
    } catch (Exception e) {
      exitOnStartFailure(plain, e);
      return;
    }
    Logging.configure(config.logging().format());
    plain.close().await(); // it only read the configuration
    // Vert.x's own metrics (net servers and clients, pools) go to the same registry as Hermod's. Not its event-bus
    // metrics: they look a meter up in the registry (and check it for double registration) for every message sent
    // and received, 4-5 per message relayed, ~3 % of the CPU per message (issue #17); docs/operations.md.
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    VertxOptions options = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS));
    MicrometerMetricsFactory metrics = new MicrometerMetricsFactory(registry);
    Vertx vertx = null;
    Hermod hermod;
    try {
      vertx = config.cluster().enabled()
          ? ClusteredVertx.start(config.cluster(), options, metrics).await() // joins before anything starts
          : Vertx.builder().with(options).withMetrics(metrics).build();
      hermod = Hermod.start(vertx, config, registry).await();
      hermod.watch(conf, flags); // hot reload (configReloadSeconds)
    } catch (Exception e) {
      exitOnStartFailure(vertx, e);
      return;
    }
    Vertx running = vertx;
    CountDownLatch stopped = new CountDownLatch(1);
    Logger log = Logger.getLogger(Main.class.getName());
    // What Hermod logs while it drains must reach stderr: java.util.logging's own hook waits for this one.
    HermodLogManager.holdResetAtExit();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        hermod.stop().eventually(() -> running.close()).toCompletionStage().toCompletableFuture()
            .get(stopBoundSeconds(hermod.config()), TimeUnit.SECONDS);
        log.info("stopped");
      } catch (Exception e) {
        log.severe("unclean shutdown: " + e);
      } finally {
        HermodLogManager.releaseResetAtExit();
      }
      stopped.countDown();
    }, "hermod-shutdown"));
    log.info("started in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt) + " ms (pid "
        + ProcessHandle.current().pid() + ")");
    stopped.await();
  }

  /** The application verticles' stop and the drain each have shutdownGraceSeconds; then Vert.x's close. */
  private static long stopBoundSeconds(HermodConfig config) {
    return config.shutdownGraceSeconds() * (config.verticles().isEmpty() ? 1L : 2L) + 10L;
  }

  /** One line on stderr (a configuration error is already one line naming the key), then exit status 1. */
  private static void exitOnStartFailure(Vertx vertx, Exception e) {
    System.err.println(e instanceof ConfigException ? e.getMessage() : "hermod: cannot start: " + e.getMessage());
    if (vertx != null) {
      vertx.close();
    }
    System.exit(1);
  }
}
