package io.hermod.webhook;

import io.hermod.config.WebhookConfig;
import io.hermod.events.CursorStore;
import io.hermod.events.EventJournal;
import io.hermod.metrics.HermodMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * This node's webhook senders, one per configured endpoint, on one event loop (a sender's work per batch is small:
 * a journal read, a JSON encoding, an HMAC). Deployed by {@link Webhooks#deploy} after the journal is open;
 * undeployed before it closes.
 */
public final class WebhookVerticle extends VerticleBase {

  private final List<WebhookConfig> endpoints;
  private final Map<String, byte[]> secrets; // by endpoint name
  private final String node;
  private final String hostname;
  private final EventJournal journal;
  private final CursorStore cursors;
  private final HermodMetrics metrics;
  private final List<WebhookSender> senders = new ArrayList<>();
  private final List<WebhookPoster> posters = new ArrayList<>();

  WebhookVerticle(List<WebhookConfig> endpoints, Map<String, byte[]> secrets, String node, String hostname,
                  EventJournal journal, CursorStore cursors, HermodMetrics metrics) {
    this.endpoints = endpoints;
    this.secrets = secrets;
    this.node = node;
    this.hostname = hostname;
    this.journal = journal;
    this.cursors = cursors;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    SecureRandom random = new SecureRandom();
    List<Future<Void>> started = new ArrayList<>();
    for (WebhookConfig c : endpoints) {
      WebhookPoster poster = new WebhookPoster(vertx, c, new WebhookSignature(secrets.get(c.name())));
      posters.add(poster);
      WebhookSender sender = new WebhookSender(vertx, c, journal, cursors,
          new BatchBuilder(node, hostname, c.name(), c.outcomes()),
          batch -> poster.post(batch.body(), System.currentTimeMillis() / 1000),
          new RetryBackoff(c.retryInitialMillis(), c.retryMaxMillis(), random::nextDouble), metrics, System::nanoTime);
      senders.add(sender);
      started.add(sender.start());
    }
    return Future.all(started);
  }

  @Override
  public Future<?> stop() {
    List<Future<Void>> stopped = new ArrayList<>();
    for (WebhookSender s : senders) {
      stopped.add(s.stop());
    }
    return Future.join(stopped).eventually(() -> {
      List<Future<Void>> closed = new ArrayList<>();
      for (WebhookPoster p : posters) {
        closed.add(p.close());
      }
      return Future.join(closed);
    });
  }
}
