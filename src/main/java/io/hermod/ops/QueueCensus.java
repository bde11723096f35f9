package io.hermod.ops;

import io.hermod.metrics.HermodMetrics;
import io.vertx.core.Future;

import java.util.Map;

/**
 * Counts the queue by state (ready, deferred, held) for hermod_queue_messages: a walk over the spool, one envelope
 * read at a time, every few seconds (the router's scan interval), never at scrape time, so a scrape stays cheap
 * and a large queue costs one extra envelope read per message per interval. The gauges show the last finished
 * count (0 until the first one). Call {@link #refresh} on the HTTP verticle's context, like {@link QueueAdmin}.
 */
final class QueueCensus {

  private final QueueAdmin admin;
  private volatile Map<String, Long> last = Map.of();
  private boolean counting;

  QueueCensus(QueueAdmin admin, HermodMetrics metrics) {
    this.admin = admin;
    metrics.queueMessages(state -> last.getOrDefault(state, 0L));
  }

  /** Starts a count unless one is running; completes when it is done (failures leave the last count). */
  Future<Void> refresh() {
    if (counting) {
      return Future.succeededFuture();
    }
    counting = true;
    return admin.countByState().onSuccess(counts -> last = Map.copyOf(counts)).<Void>mapEmpty()
        .onComplete(x -> counting = false);
  }
}
