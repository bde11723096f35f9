package example;

import io.hermod.Hermod;
import io.hermod.cluster.ClusteredVertx;
import io.hermod.config.ConfigLoader;
import io.hermod.config.HermodConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The bus-submission benchmark's Hermod (benchmarks/bussubmit.py): Hermod embedded in a JVM of ours, so that an
 * application verticle ({@link BulkSubmitter}, docs/examples/own-jvm) can run in Hermod's own Vert.x. Clustered
 * when the configuration says so, so that a separate application JVM can join the same node.
 *
 * <p>Reads commands on stdin, one a line: {@code submit JSON} deploys a BulkSubmitter with that config, waits for
 * it and prints {@code RESULT json}; end of input stops Hermod and exits.
 */
public final class EmbeddedHermod {

  public static void main(String[] args) throws Exception {
    Vertx plain = Vertx.vertx();
    HermodConfig config = ConfigLoader.load(plain, args[0]).await(60, TimeUnit.SECONDS);
    plain.close().await();
    Vertx vertx = config.cluster().enabled() ? ClusteredVertx.start(config.cluster()).await(120, TimeUnit.SECONDS)
        : Vertx.vertx();
    Hermod hermod = Hermod.start(vertx, config).await(120, TimeUnit.SECONDS);
    System.out.println("READY");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.startsWith("submit ")) {
        BulkSubmitter submitter = new BulkSubmitter();
        JsonObject submitConfig = new JsonObject(line.substring("submit ".length()));
        String id = vertx.deployVerticle(submitter, new DeploymentOptions().setConfig(submitConfig))
            .await(60, TimeUnit.SECONDS);
        JsonObject result = submitter.result().await(600, TimeUnit.SECONDS);
        vertx.undeploy(id).await(60, TimeUnit.SECONDS);
        System.out.println("RESULT " + result.encode());
      }
    }
    hermod.stop().await(60, TimeUnit.SECONDS);
    vertx.close().await(60, TimeUnit.SECONDS);
    System.exit(0);
  }
}
