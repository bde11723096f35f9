package io.hermod.routing;

import io.hermod.shaping.QueueKey;
import io.hermod.shaping.SiteHealth;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The dispatcher's state for one (egress source, site) queue: jobs waiting, jobs in flight, its rate
 * bucket, whether its site answers ({@link SiteHealth}), and the ids of messages deferred without an attempt
 * while it was suspended or dead (released, due at once, when it opens again).
 */
final class SiteQueue<J> {

  record Waiting<J>(J job, Consumer<io.hermod.delivery.DeliveryReport> onReport) {
  }

  final QueueKey key;
  final ArrayDeque<Waiting<J>> waiting = new ArrayDeque<>();
  /** In order, each id once: a message deferred again at its own retry time while the site is still closed. */
  final java.util.LinkedHashSet<String> parked = new java.util.LinkedHashSet<>();
  /** Messages of the current run of connection-level failures: parked too if the run makes the site dead. */
  final ArrayDeque<String> failing = new ArrayDeque<>();
  final SiteHealth health;
  TokenBucket bucket;
  int inFlight;

  SiteQueue(QueueKey key, SiteHealth health) {
    this.key = key;
    this.health = health;
  }

  /** Nothing waiting, running or parked, and nothing learnt about the site: the entry may be dropped. */
  boolean idle(long now) {
    return waiting.isEmpty() && inFlight == 0 && parked.isEmpty() && health.pristine()
        && (bucket == null || bucket.isFull(now));
  }
}
