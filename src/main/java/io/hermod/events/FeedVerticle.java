package io.hermod.events;

import io.hermod.api.Addresses;
import io.hermod.api.FeedProtocol;
import io.hermod.config.EventFeedConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves this node's {@link EventJournal} to applications over the event bus (docs/events.md "Subscribing over
 * the event bus"), one per node, on {@link Addresses#feedNode(String)}. Readers pull: each read returns at most a
 * bounded batch from the journal (on disk), so a slow reader holds nothing here and never slows delivery. A read
 * at the end of the journal waits (long poll, at most events.feed.maxWaitMillis) until the next append wakes it.
 * Positions are named cursors in the {@link CursorStore}, committed durably on each ack.
 */
public final class FeedVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(FeedVerticle.class.getName());
  /** Cursor names in the store: the feed's own, apart from other readers' (webhooks). */
  static final String CURSOR_PREFIX = "feed.";
  private static final long ANNOUNCE_EVERY_MILLIS = 10_000;

  private final String nodeId;
  private final EventJournal journal;
  private final CursorStore cursors;
  private final EventFeedConfig limits;
  private final JsonObject announcement;
  // Reads waiting at the end of the journal, by a key of their own; only touched on this verticle's context.
  private final Map<Long, Waiting> waiting = new LinkedHashMap<>();
  private final AtomicBoolean wakeScheduled = new AtomicBoolean();
  private long nextWaitKey;
  private long announceTimer = -1;
  private volatile boolean stopped;

  private record Waiting(Message<Object> msg, FeedRequest.Read read, long timer) {
  }

  public FeedVerticle(String nodeId, EventJournal journal, CursorStore cursors, EventFeedConfig limits) {
    this.nodeId = nodeId;
    this.journal = journal;
    this.cursors = cursors;
    this.limits = limits;
    this.announcement = new JsonObject().put(FeedProtocol.NODE, nodeId)
        .put(FeedProtocol.ADDRESS, Addresses.feedNode(nodeId));
  }

  @Override
  public Future<?> start() {
    // The journal calls back on its own context: hop onto ours once per burst of appends.
    journal.onAppend(() -> {
      if (!stopped && wakeScheduled.compareAndSet(false, true)) {
        context.runOnContext(v -> {
          wakeScheduled.set(false);
          wakeReaders();
        });
      }
    });
    var requests = vertx.eventBus().<Object>consumer(Addresses.feedNode(nodeId), this::handle);
    var hellos = vertx.eventBus().<JsonObject>consumer(Addresses.FEED_HELLO, msg -> announce());
    return Future.all(requests.completion(), hellos.completion()).onSuccess(v -> {
      announce();
      announceTimer = vertx.setPeriodic(ANNOUNCE_EVERY_MILLIS, t -> announce());
    });
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(announceTimer);
    // Waiting readers get an empty batch now rather than a timeout: they come back and find the node gone.
    new ArrayList<>(waiting.keySet()).forEach(key -> answerEmpty(waiting.remove(key)));
    return Future.succeededFuture();
  }

  private void announce() {
    vertx.eventBus().publish(Addresses.FEED_NODES, announcement);
  }

  /** Whatever a request holds, the requester gets a reply or a failure, never a timeout. */
  private void handle(Message<Object> msg) {
    try {
      serve(msg);
    } catch (RuntimeException e) {
      fail(msg, e);
    }
  }

  private void serve(Message<Object> msg) {
    FeedRequest request;
    try {
      request = FeedRequest.parse(msg.body(), limits);
    } catch (FeedRequest.Invalid e) {
      msg.fail(FeedProtocol.BAD_REQUEST, e.getMessage());
      return;
    }
    if (request instanceof FeedRequest.Read read) {
      read(msg, read);
      return;
    }
    Future<JsonObject> reply;
    if (request instanceof FeedRequest.Open open) {
      reply = open(open);
    } else if (request instanceof FeedRequest.Ack ack) {
      reply = ack(ack);
    } else {
      reply = cursors.remove(key(request.cursor())).map(v -> new JsonObject().put(FeedProtocol.NODE, nodeId));
    }
    reply.onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result());
      } else {
        fail(msg, ar.cause());
      }
    });
  }

  /** An existing cursor answers its position; a new one (or a reset) is placed and committed first. */
  private Future<JsonObject> open(FeedRequest.Open open) {
    String key = key(open.cursor());
    Map<String, Long> all = cursors.snapshot();
    Long existing = all.get(key);
    if (existing != null && !open.reset()) {
      return Future.succeededFuture(position(existing));
    }
    if (existing == null && all.keySet().stream().filter(k -> k.startsWith(CURSOR_PREFIX)).count()
        >= limits.maxSubscriptions()) {
      return Future.failedFuture(new Refused(FeedProtocol.TOO_MANY, "this node already has "
          + limits.maxSubscriptions() + " feed subscriptions (events.feed.maxSubscriptions)"));
    }
    Future<Long> start = switch (open.start()) {
      case BEGINNING -> Future.succeededFuture(journal.firstSeq() - 1);
      case END -> Future.succeededFuture(journal.lastSeq());
      case TIME -> journal.seqBefore(open.time());
    };
    // A commit never moves a cursor back: a replay removes it first.
    Future<Void> cleared = existing == null ? Future.succeededFuture() : cursors.remove(key);
    return cleared.compose(v -> start).compose(seq -> cursors.commit(key, seq).map(v -> position(seq)));
  }

  private Future<JsonObject> ack(FeedRequest.Ack ack) {
    String key = key(ack.cursor());
    if (!cursors.snapshot().containsKey(key)) {
      return Future.failedFuture(noSuchCursor(ack.cursor()));
    }
    if (ack.seq() > journal.lastSeq()) {
      return Future.failedFuture(new Refused(FeedProtocol.BAD_REQUEST, "seq " + ack.seq()
          + " is beyond this node's last event " + journal.lastSeq()));
    }
    return cursors.commit(key, ack.seq()).map(v -> position(ack.seq()));
  }

  private void read(Message<Object> msg, FeedRequest.Read read) {
    if (!cursors.snapshot().containsKey(key(read.cursor()))) {
      fail(msg, noSuchCursor(read.cursor()));
      return;
    }
    journal.read(read.after(), read.max(), limits.maxBatchBytes()).onComplete(ar -> onOurContext(() -> {
      if (ar.failed()) {
        fail(msg, ar.cause());
      } else if (!ar.result().isEmpty() || read.waitMillis() == 0 || stopped) {
        msg.reply(batch(ar.result()));
      } else if (journal.lastSeq() > read.after()) {
        read(msg, read); // appended while we read: read again rather than wait for a wake that already went
      } else if (waiting.size() >= limits.maxWaitingReads()) {
        fail(msg, new Refused(FeedProtocol.TOO_MANY, limits.maxWaitingReads()
            + " feed reads are already waiting on this node (events.feed.maxWaitingReads)"));
      } else {
        long key = nextWaitKey++;
        long timer = vertx.setTimer(read.waitMillis(), t -> answerEmpty(waiting.remove(key)));
        waiting.put(key, new Waiting(msg, read, timer));
      }
    }));
  }

  /** The waiting reads are ours alone: a journal whose futures complete elsewhere is brought back here. */
  private void onOurContext(Runnable action) {
    if (io.vertx.core.Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  /** New events: every waiting read behind the journal's end reads again (and is answered). */
  private void wakeReaders() {
    long last = journal.lastSeq();
    List<Waiting> woken = new ArrayList<>();
    waiting.values().removeIf(w -> w.read().after() < last && woken.add(w));
    for (Waiting w : woken) {
      vertx.cancelTimer(w.timer());
      read(w.msg(), w.read());
    }
  }

  private void answerEmpty(Waiting w) {
    if (w != null) {
      vertx.cancelTimer(w.timer());
      w.msg().reply(batch(List.of()));
    }
  }

  private JsonObject batch(List<JournalEntry> entries) {
    JsonArray events = new JsonArray(new ArrayList<>(entries.size()));
    for (JournalEntry e : entries) {
      events.add(e.event().copy().put(FeedProtocol.NODE, nodeId).put(FeedProtocol.SEQ, e.seq()));
    }
    return new JsonObject().put(FeedProtocol.NODE, nodeId).put(FeedProtocol.EVENTS, events)
        .put(FeedProtocol.LAST_SEQ, journal.lastSeq()).put(FeedProtocol.FIRST_SEQ, journal.firstSeq());
  }

  private JsonObject position(long seq) {
    return new JsonObject().put(FeedProtocol.NODE, nodeId).put(FeedProtocol.POSITION, seq);
  }

  private static String key(String cursor) {
    return CURSOR_PREFIX + cursor;
  }

  private static Refused noSuchCursor(String cursor) {
    return new Refused(FeedProtocol.NO_SUCH_CURSOR, "no feed cursor " + cursor + " on this node: open it first");
  }

  private void fail(Message<Object> msg, Throwable cause) {
    if (cause instanceof Refused r) {
      msg.fail(r.code, r.getMessage());
    } else {
      LOG.log(Level.WARNING, "event feed on node " + nodeId + ": " + cause, cause);
      msg.fail(FeedProtocol.FAILED, "event journal or cursor store failed: " + cause.getMessage());
    }
  }

  /** A refusal with its failure code. */
  private static final class Refused extends RuntimeException {
    private final int code;

    Refused(int code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }
}
