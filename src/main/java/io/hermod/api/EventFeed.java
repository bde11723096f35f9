package io.hermod.api;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A durable subscription to Hermod's delivery events over the event bus (docs/events.md "Subscribing over the
 * event bus"): one logical subscription, named, that receives every node's events, at least once and in order per
 * node, and resumes where it was acknowledged after either side restarts.
 *
 * <pre>{@code
 * EventFeed.subscribe(vertx, "billing", new EventFeedOptions(), batch -> {
 *   batch.events().forEach(e -> record(e.node(), e.seq(), e.event()));
 *   return Future.succeededFuture();     // acknowledged to the node once this succeeds
 * });
 * }</pre>
 *
 * <p>The subscription finds the nodes that serve the feed (it publishes a hello on {@link Addresses#FEED_HELLO}
 * and listens to {@link Addresses#FEED_NODES}) and reads each one in parallel, pulling: a slow handler only makes
 * this subscription fall behind on the nodes' disks, never slows delivery. The handler gets one batch of a node
 * at a time; batches of different nodes may be in the handler at the same time. A failed (or throwing) handler
 * gets the same batch again after a backoff. A node that is down is retried with backoff; when it returns, its
 * backlog comes. Everything runs on the context that called {@link #subscribe}.
 */
public final class EventFeed {

  private final Vertx vertx;
  private final Context context;
  private final String name;
  private final EventFeedOptions options;
  private final Function<EventBatch, Future<Void>> handler;
  private final Map<String, NodeReader> readers = new LinkedHashMap<>();
  private MessageConsumer<JsonObject> announcements;
  private long helloTimer = -1;
  private boolean closed;

  private EventFeed(Vertx vertx, Context context, String name, EventFeedOptions options,
                    Function<EventBatch, Future<Void>> handler) {
    this.vertx = vertx;
    this.context = context;
    this.name = name;
    this.options = options;
    this.handler = handler;
  }

  /**
   * Subscribes under {@code name} (letters, digits, '.', '_', '-'; the same name on every node is the same
   * subscription). Succeeds once this subscription listens for nodes; the handler is called when events come.
   */
  public static Future<EventFeed> subscribe(Vertx vertx, String name, EventFeedOptions options,
                                            Function<EventBatch, Future<Void>> handler) {
    if (!FeedProtocol.isValidCursorName(name)) {
      return Future.failedFuture(new IllegalArgumentException(
          "a subscription name is 1 to 90 letters, digits, '.', '_' or '-': " + name));
    }
    Context context = vertx.getOrCreateContext();
    EventFeed feed = new EventFeed(vertx, context, name, options.copy(), handler);
    Promise<EventFeed> started = Promise.promise();
    context.runOnContext(v -> feed.start().map(feed).onComplete(started));
    return started.future();
  }

  private Future<Void> start() {
    announcements = vertx.eventBus().consumer(Addresses.FEED_NODES, msg -> found(msg.body()));
    return announcements.completion().onSuccess(v -> {
      hello();
      helloTimer = vertx.setPeriodic(options.discoveryMillis(), t -> hello());
    });
  }

  private void hello() {
    vertx.eventBus().publish(Addresses.FEED_HELLO, new JsonObject());
  }

  private void found(JsonObject announcement) {
    String node = announcement == null ? null : announcement.getString(FeedProtocol.NODE);
    if (closed || node == null || node.isEmpty() || readers.containsKey(node)) {
      return;
    }
    NodeReader reader = new NodeReader(vertx, node, name, options, handler);
    readers.put(node, reader);
    reader.start();
  }

  /** The subscription's name (its cursor's name on every node). */
  public String name() {
    return name;
  }

  /** The ids of the nodes found so far (a node that went down stays, and is retried). */
  public Future<Set<String>> nodes() {
    return onContext(() -> new TreeSet<>(readers.keySet()));
  }

  /** Per node, the seq last acknowledged by this subscription. */
  public Future<Map<String, Long>> acknowledged() {
    return onContext(() -> {
      Map<String, Long> acked = new LinkedHashMap<>();
      readers.forEach((node, reader) -> acked.put(node, reader.acked()));
      return acked;
    });
  }

  /**
   * Stops: no new batch is read; a batch in the handler finishes and is acknowledged if its future succeeds.
   * The cursors stay on the nodes: subscribing again under the same name resumes.
   */
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      closed = true;
      if (helloTimer >= 0) {
        vertx.cancelTimer(helloTimer);
      }
      List<Future<Void>> all = new ArrayList<>();
      readers.values().forEach(r -> all.add(r.close()));
      if (announcements != null) {
        all.add(announcements.unregister());
      }
      Future.join(all).<Void>mapEmpty().onComplete(done);
    });
    return done.future();
  }

  /**
   * Closes, then removes this subscription's cursor on every node it found (the durable subscription is gone: the
   * same name later starts afresh). A node that is down keeps its cursor; remove it there with another unsubscribe
   * later.
   */
  public Future<Void> unsubscribe() {
    return close().compose(v -> onContext(() -> new ArrayList<>(readers.keySet()))).compose(nodes -> {
      List<Future<Object>> removed = new ArrayList<>();
      for (String node : nodes) {
        removed.add(vertx.eventBus().request(Addresses.feedNode(node), new JsonObject()
            .put(FeedProtocol.OP, FeedProtocol.OP_REMOVE).put(FeedProtocol.CURSOR, name)).map(m -> m.body()));
      }
      return Future.all(removed).mapEmpty();
    });
  }

  private <T> Future<T> onContext(java.util.function.Supplier<T> read) {
    Promise<T> p = Promise.promise();
    context.runOnContext(v -> p.complete(read.get()));
    return p.future();
  }
}
