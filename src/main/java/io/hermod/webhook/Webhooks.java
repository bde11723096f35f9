package io.hermod.webhook;

import io.hermod.config.WebhookConfig;
import io.hermod.events.CursorStore;
import io.hermod.events.EventJournal;
import io.hermod.metrics.HermodMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Starting this node's webhooks: what {@code Hermod} calls (docs/events.md "Webhooks"). */
public final class Webhooks {

  private Webhooks() {
  }

  /**
   * Resolves the endpoints' secrets (files are read on a worker thread; a missing file or variable fails the start
   * with an error naming its key), then deploys the senders. Completes with the deployment id, or null when no
   * webhook is configured.
   */
  public static Future<String> deploy(Vertx vertx, List<WebhookConfig> endpoints, String node, String hostname,
                                      EventJournal journal,
                                      CursorStore cursors, HermodMetrics metrics, Map<String, String> env) {
    if (endpoints.isEmpty()) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      Map<String, byte[]> secrets = new HashMap<>();
      for (WebhookConfig c : endpoints) {
        secrets.put(c.name(), WebhookSecrets.resolve(c.secret(), env));
      }
      return secrets;
    }, false).compose(secrets -> vertx.deployVerticle(
        new WebhookVerticle(endpoints, secrets, node, hostname, journal, cursors, metrics)));
  }
}
