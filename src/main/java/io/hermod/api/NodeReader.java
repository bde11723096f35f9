package io.hermod.api;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One subscription's reader of one node's feed, on the subscription's context: open the cursor, then read,
 * hand the batch to the handler, acknowledge when its future succeeds, read again. One batch at a time, so
 * the node's events reach the handler in seq order. Any failure of a request (node down, restarting, timeout)
 * waits with backoff and opens the cursor again: the node answers with its durable position, so a batch that
 * was handled but whose ack was lost comes again (the at-least-once duplicates of docs/events.md).
 */
final class NodeReader {

  private static final Logger LOG = Logger.getLogger(NodeReader.class.getName());
  /** A reply without events that came this fast means the node did not wait: pause before the next read. */
  private static final long NO_WAIT_PAUSE_MILLIS = 250;

  private enum State { OPENING, READING, DELIVERING, RETRY_WAIT, STOPPED }

  private final Vertx vertx;
  private final String node;
  private final String address;
  private final String cursor;
  private final EventFeedOptions options;
  private final Function<EventBatch, Future<Void>> handler;
  private final Promise<Void> stopped = Promise.promise();

  private State state = State.OPENING;
  private boolean closing;
  private boolean replayPending; // a replay moves the cursor once, at the first open, not after every reconnect
  private long position;         // the last seq handed to the handler successfully (or the opened position)
  private long acked;
  private long ackWanted;
  private boolean ackInFlight;
  private long backoff;
  private long retryTimer = -1;

  NodeReader(Vertx vertx, String node, String cursor, EventFeedOptions options,
             Function<EventBatch, Future<Void>> handler) {
    this.vertx = vertx;
    this.node = node;
    this.address = Addresses.feedNode(node);
    this.cursor = cursor;
    this.options = options;
    this.handler = handler;
    this.replayPending = options.replay();
    this.backoff = options.retryInitialMillis();
  }

  String node() {
    return node;
  }

  /** The seq this reader last acknowledged to its node (0 before the first ack). */
  long acked() {
    return acked;
  }

  void start() {
    open();
  }

  /** Stops reading; completes once the batch being handled (if any) and its ack are done. */
  Future<Void> close() {
    closing = true;
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
    if (state != State.DELIVERING) {
      state = State.STOPPED;
    }
    finishIfIdle();
    return stopped.future();
  }

  private void open() {
    if (closing) {
      return;
    }
    state = State.OPENING;
    JsonObject req = request(FeedProtocol.OP_OPEN).put(FeedProtocol.START, options.start())
        .put(FeedProtocol.RESET, replayPending);
    if (options.time() != null) {
      req.put(FeedProtocol.TIME, options.time().toString());
    }
    vertx.eventBus().<JsonObject>request(address, req, timeout(0)).onComplete(ar -> {
      if (state != State.OPENING) {
        return;
      }
      if (ar.failed()) {
        retryLater("open", ar.cause(), this::open);
        return;
      }
      replayPending = false;
      position = ar.result().body().getLong(FeedProtocol.POSITION, 0L);
      acked = Math.max(acked, position);
      backoff = options.retryInitialMillis();
      read();
    });
  }

  private void read() {
    if (closing) {
      return;
    }
    state = State.READING;
    long sentAt = System.nanoTime();
    JsonObject req = request(FeedProtocol.OP_READ).put(FeedProtocol.AFTER, position)
        .put(FeedProtocol.MAX, options.maxBatch()).put(FeedProtocol.WAIT_MILLIS, options.waitMillis());
    vertx.eventBus().<JsonObject>request(address, req, timeout(options.waitMillis())).onComplete(ar -> {
      if (state != State.READING) {
        return;
      }
      if (ar.failed()) {
        // 404: the cursor was removed on the node (e.g. by an operator): open creates it again.
        retryLater("read", ar.cause(), this::open);
        return;
      }
      backoff = options.retryInitialMillis();
      JsonArray events = ar.result().body().getJsonArray(FeedProtocol.EVENTS, new JsonArray());
      if (events.isEmpty()) {
        long tookMillis = (System.nanoTime() - sentAt) / 1_000_000;
        if (tookMillis < 50 && options.waitMillis() > 0) {
          retryTimer = vertx.setTimer(NO_WAIT_PAUSE_MILLIS, t -> {
            retryTimer = -1;
            read();
          });
          state = State.RETRY_WAIT;
        } else {
          read();
        }
        return;
      }
      List<FeedEvent> batch = new ArrayList<>(events.size());
      for (int i = 0; i < events.size(); i++) {
        batch.add(FeedEvent.fromJson(events.getJsonObject(i)));
      }
      deliver(new EventBatch(node, batch));
    });
  }

  private void deliver(EventBatch batch) {
    state = State.DELIVERING;
    Future<Void> handled;
    try {
      handled = handler.apply(batch);
      if (handled == null) {
        handled = Future.failedFuture(new NullPointerException("the handler returned no future"));
      }
    } catch (RuntimeException e) {
      handled = Future.failedFuture(e);
    }
    handled.onComplete(ar -> {
      if (ar.succeeded()) {
        position = batch.lastSeq();
        backoff = options.retryInitialMillis();
        ack(position);
        if (closing) {
          state = State.STOPPED;
          finishIfIdle();
        } else {
          read();
        }
      } else if (closing) {
        state = State.STOPPED; // not acknowledged: the next subscription gets this batch again
        finishIfIdle();
      } else {
        retryLater("handler", ar.cause(), () -> deliver(batch));
      }
    });
  }

  /** At most one ack in flight: those that come meanwhile collapse into the next one (acks in batches). */
  private void ack(long seq) {
    ackWanted = Math.max(ackWanted, seq);
    if (ackInFlight || ackWanted <= acked) {
      return;
    }
    long sending = ackWanted;
    ackInFlight = true;
    vertx.eventBus().<JsonObject>request(address, request(FeedProtocol.OP_ACK).put(FeedProtocol.SEQ, sending),
        timeout(0)).onComplete(ar -> {
          ackInFlight = false;
          if (ar.succeeded()) {
            acked = Math.max(acked, sending);
          } else {
            // Not fatal: a later ack covers it; if none comes, the node re-delivers from its position.
            LOG.log(Level.FINE, "event feed " + cursor + ": ack " + sending + " to node " + node + " failed", ar.cause());
          }
          if (ar.succeeded() && ackWanted > acked) {
            ack(ackWanted);
          } else {
            finishIfIdle();
          }
        });
  }

  private void retryLater(String what, Throwable cause, Runnable action) {
    if (closing) {
      state = State.STOPPED;
      finishIfIdle();
      return;
    }
    boolean quiet = cause instanceof ReplyException re && re.failureType() != io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE;
    LOG.log(quiet ? Level.FINE : Level.WARNING, "event feed " + cursor + ": " + what + " on node " + node
        + " failed (" + cause + "); retrying in " + backoff + " ms");
    state = State.RETRY_WAIT;
    long delay = backoff;
    backoff = Math.min(options.retryMaxMillis(), backoff * 2);
    retryTimer = vertx.setTimer(delay, t -> {
      retryTimer = -1;
      action.run();
    });
  }

  private void finishIfIdle() {
    if (closing && state == State.STOPPED && !ackInFlight) {
      stopped.tryComplete();
    }
  }

  private JsonObject request(String op) {
    return new JsonObject().put(FeedProtocol.OP, op).put(FeedProtocol.CURSOR, cursor);
  }

  /** Long enough for the node's own wait plus a slow cluster hop. */
  private static DeliveryOptions timeout(long waitMillis) {
    return new DeliveryOptions().setSendTimeout(waitMillis + 10_000);
  }
}
