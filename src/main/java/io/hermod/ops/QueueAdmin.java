package io.hermod.ops;

import io.hermod.async.AsyncLoop;
import io.hermod.queue.QueueIndex;
import io.hermod.spool.Envelope;
import io.hermod.spool.Spool;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * The queue operations behind the admin API (docs/operations.md). What is queued, its shape and pages of it
 * come from the {@link QueueIndex} (memory, no spool walk); a page's envelopes are then read one by one. Every
 * change is a durable {@code spool.update} (or {@code remove}) before the answer. A message the router is
 * working on right now is not changed (409): its own update would overwrite ours. Call on one Vert.x context
 * (the HTTP verticle's): the spool's futures complete there.
 */
public final class QueueAdmin {

  /** The most messages one page of {@code GET /queue} holds: a page's envelopes are all in memory at once. */
  static final int MAX_PAGE = 5000;
  /** Envelope reads of one page in flight at once (the spool's I/O queue is bounded). */
  private static final int LOADS_IN_FLIGHT = 16;

  private final Spool spool;
  private final QueueIndex index;
  private final Clock clock;
  private final Predicate<String> active;
  private final Consumer<String> trigger;
  private final Function<String, Future<Envelope>> bouncer;

  /**
   * @param index   what is queued (it follows the spool as its observer)
   * @param active  whether the router works on a queue id right now
   * @param trigger sends a router trigger for a queue id ({@code hermod.router.trigger})
   * @param bouncer asks the router to bounce a queue id ({@code hermod.router.bounce}); the bounced envelope, or
   *                a {@link ReplyException} whose failure code is the HTTP status
   */
  public QueueAdmin(Spool spool, QueueIndex index, Clock clock, Predicate<String> active, Consumer<String> trigger,
                    Function<String, Future<Envelope>> bouncer) {
    this.spool = spool;
    this.index = index;
    this.clock = clock;
    this.active = active;
    this.trigger = trigger;
    this.bouncer = bouncer;
  }

  QueueIndex index() {
    return index;
  }

  /**
   * One page of the messages matching {@code filter}, from {@code cursor} (0: the start):
   * {"messages": [...], "count", "next": the cursor of the next page or null}. Only the page's envelopes are
   * read; one that vanished meanwhile, or whose sender only shares the filter's hash, is left out.
   */
  public Future<JsonObject> list(QueueFilter filter, long cursor, int limit) {
    Instant now = clock.instant();
    QueueIndex.Page page = index.page(filter.toIndex(), cursor, Math.min(limit, MAX_PAGE), now);
    Envelope[] loaded = new Envelope[page.ids().size()];
    Iterator<Integer> positions = IntStream.range(0, loaded.length).iterator();
    return AsyncLoop.forEach(positions, LOADS_IN_FLIGHT, i -> spool.load(page.ids().get(i)).transform(ar -> {
      loaded[i] = ar.succeeded() ? ar.result() : null; // vanished meanwhile: left out
      return Future.succeededFuture(true);
    })).map(v -> {
      JsonArray out = new JsonArray();
      for (Envelope env : loaded) {
        if (env != null && filter.senderMatches(env)) {
          out.add(view(env, now));
        }
      }
      return new JsonObject().put("messages", out).put("count", out.size())
          .put("next", page.nextCursor() < 0 ? null : Long.toString(page.nextCursor()));
    });
  }

  /** qshape-like counts by pending recipient domain (or by site), from the index's counters. */
  public JsonObject summary(boolean bySite, int limit) {
    return index.shape(clock.instant(), bySite, limit);
  }

  public Future<JsonObject> show(String id) {
    return load(id, env -> true).map(env -> view(env, clock.instant()));
  }

  /** {@link #apply(QueueAction, String, Predicate)} on any message. */
  public Future<JsonObject> apply(QueueAction action, String id) {
    return apply(action, id, env -> true);
  }

  /**
   * Does {@code action} to one message if its envelope passes {@code guard} (404 otherwise, as if gone):
   * <ul>
   *   <li>hold: the router skips the message until released (the flag is in the envelope: survives restarts);</li>
   *   <li>release: clears it and triggers the router; flush: due now, and a trigger (a held one stays held);</li>
   *   <li>bounce: every recipient still to be delivered fails with "550 5.0.0 bounced by operator"; the router
   *   sends one DSN and removes the message, on its own context, so that it cannot race a delivery round;</li>
   *   <li>delete: removed from the spool without any notification.</li>
   * </ul>
   */
  Future<JsonObject> apply(QueueAction action, String id, Predicate<Envelope> guard) {
    return switch (action) {
      case HOLD -> change(id, guard, env -> env.withHeld(true));
      case RELEASE -> change(id, guard, env -> env.withHeld(false)).onSuccess(v -> trigger.accept(id));
      case FLUSH -> change(id, guard, env -> env.withNextAttempt(clock.instant())).onSuccess(v -> trigger.accept(id));
      case BOUNCE -> bounce(id, guard);
      case DELETE -> load(id, guard).compose(env -> {
        refuseIfActive(id);
        return spool.remove(id);
      }).map(v -> new JsonObject().put("id", id).put("deleted", true));
    };
  }

  private Future<JsonObject> bounce(String id, Predicate<Envelope> guard) {
    return load(id, guard).compose(env -> bouncer.apply(id))
        .recover(e -> Future.failedFuture(e instanceof ReplyException re
            ? new AdminException(re.failureType() == ReplyFailure.RECIPIENT_FAILURE ? re.failureCode() : 503,
                re.getMessage())
            : e))
        .map(env -> view(env, clock.instant()));
  }

  /** Writes the edited envelope, unless the edit changes nothing (a bulk hold over held messages writes nothing). */
  private Future<JsonObject> change(String id, Predicate<Envelope> guard, UnaryOperator<Envelope> edit) {
    return load(id, guard).compose(env -> {
      refuseIfActive(id);
      Envelope changed = edit.apply(env);
      Future<Void> written = changed.equals(env) ? Future.succeededFuture() : spool.update(changed);
      return written.map(v -> view(changed, clock.instant()));
    });
  }

  private void refuseIfActive(String id) {
    if (active.test(id)) {
      throw new AdminException(409, "queue id " + id + " is being delivered right now; try again shortly");
    }
  }

  private Future<Envelope> load(String id, Predicate<Envelope> guard) {
    if (!QueueIdSyntax.plausible(id)) {
      return Future.failedFuture(new AdminException(400, "not a queue id"));
    }
    return spool.load(id).transform(ar -> ar.succeeded() && guard.test(ar.result())
        ? Future.succeededFuture(ar.result()) : Future.failedFuture(new AdminException(404, "no queue id " + id)));
  }

  private JsonObject view(Envelope env, Instant now) {
    QueueIndex.State known = index.state(env.id(), now).orElse(null);
    boolean isActive = active.test(env.id()) || known == QueueIndex.State.ACTIVE;
    return MessageView.toJson(env, MessageView.state(env, isActive, known == QueueIndex.State.WAITING, now));
  }
}
