package io.hermod.ops;

import io.hermod.async.AsyncLoop;
import io.hermod.spool.Envelope;
import io.hermod.spool.Spool;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The queue operations behind the admin API (docs/operations.md), all through the {@link Spool} interface:
 * every change is a durable {@code spool.update} (or {@code remove}) before the answer. A message the router
 * is working on right now is not changed (409): its own update would overwrite ours. Call on one Vert.x
 * context (the HTTP verticle's): the spool's futures complete there.
 */
public final class QueueAdmin {

  private final Spool spool;
  private final Clock clock;
  private final Predicate<String> active;
  private final Consumer<String> trigger;
  private final Function<String, Future<Envelope>> bouncer;

  /**
   * @param active  whether the router works on a queue id right now
   * @param trigger sends a router trigger for a queue id ({@code hermod.router.trigger})
   * @param bouncer asks the router to bounce a queue id ({@code hermod.router.bounce}); the bounced envelope, or
   *                a {@link ReplyException} whose failure code is the HTTP status
   */
  public QueueAdmin(Spool spool, Clock clock, Predicate<String> active, Consumer<String> trigger,
                    Function<String, Future<Envelope>> bouncer) {
    this.spool = spool;
    this.clock = clock;
    this.active = active;
    this.trigger = trigger;
    this.bouncer = bouncer;
  }

  /** Filters of GET /queue; null means "any". */
  public record Filter(String domain, String sender, String state, int limit) {

    boolean matches(Envelope env, String messageState) {
      if (state != null && !state.equalsIgnoreCase(messageState)) {
        return false;
      }
      if (sender != null && !env.sender().equalsIgnoreCase(sender)) {
        return false;
      }
      return domain == null || env.recipients().stream()
          .anyMatch(r -> MessageView.domain(r.address()).equals(domain.toLowerCase(Locale.ROOT)));
    }
  }

  /** Every message matching {@code filter}, in spool order, at most {@code filter.limit()}. */
  public Future<JsonObject> list(Filter filter) {
    Instant now = clock.instant();
    JsonArray out = new JsonArray();
    return spool.list().compose(ids -> each(ids.iterator(), env -> {
      boolean isActive = active.test(env.id());
      if (out.size() < filter.limit() && filter.matches(env, MessageView.state(env, isActive, now))) {
        out.add(MessageView.toJson(env, isActive, now));
      }
      return out.size() < filter.limit();
    })).map(v -> new JsonObject().put("messages", out).put("count", out.size()));
  }

  /** Messages per state ({@link MessageView#state}: held, active, deferred, ready), one envelope read each. */
  public Future<Map<String, Long>> countByState() {
    Instant now = clock.instant();
    Map<String, Long> counts = new HashMap<>();
    return spool.list().compose(ids -> each(ids.iterator(), env -> {
      counts.merge(MessageView.state(env, active.test(env.id()), now), 1L, Long::sum);
      return true;
    })).map(v -> counts);
  }

  /** qshape-like counts by destination domain and age. */
  public Future<JsonObject> summary() {
    QueueShape shape = new QueueShape(clock.instant());
    return spool.list().compose(ids -> each(ids.iterator(), env -> {
      shape.add(env);
      return true;
    })).map(v -> shape.toJson());
  }

  public Future<JsonObject> show(String id) {
    return load(id).map(env -> MessageView.toJson(env, active.test(id), clock.instant()));
  }

  /** Held messages are skipped by the router until released (the flag is in the envelope: survives restarts). */
  public Future<JsonObject> hold(String id) {
    return change(id, env -> env.withHeld(true));
  }

  public Future<JsonObject> release(String id) {
    return change(id, env -> env.withHeld(false)).onSuccess(v -> trigger.accept(id));
  }

  /** Due now: the router takes it at once (unless it is held). */
  public Future<JsonObject> flush(String id) {
    return change(id, env -> env.withNextAttempt(clock.instant())).onSuccess(v -> trigger.accept(id));
  }

  /**
   * Every recipient still to be delivered fails with "550 5.0.0 bounced by operator"; the router sends the
   * sender one DSN for them and removes the message (docs/operations.md). Done by the router itself, on its
   * own context, so that it cannot race a delivery round of the message.
   */
  public Future<JsonObject> bounce(String id) {
    return load(id).compose(env -> bouncer.apply(id))
        .recover(e -> Future.failedFuture(e instanceof ReplyException re
            ? new AdminException(re.failureType() == ReplyFailure.RECIPIENT_FAILURE ? re.failureCode() : 503,
                re.getMessage())
            : e))
        .map(env -> MessageView.toJson(env, false, clock.instant()));
  }

  /** Removes the message from the spool without any notification. */
  public Future<JsonObject> delete(String id) {
    return load(id).compose(env -> {
      refuseIfActive(id);
      return spool.remove(id);
    }).map(v -> new JsonObject().put("id", id).put("deleted", true));
  }

  private Future<JsonObject> change(String id, java.util.function.UnaryOperator<Envelope> edit) {
    return load(id).compose(env -> {
      refuseIfActive(id);
      Envelope changed = edit.apply(env);
      return spool.update(changed).map(v -> MessageView.toJson(changed, false, clock.instant()));
    });
  }

  private void refuseIfActive(String id) {
    if (active.test(id)) {
      throw new AdminException(409, "queue id " + id + " is being delivered right now; try again shortly");
    }
  }

  private Future<Envelope> load(String id) {
    if (!QueueIdSyntax.plausible(id)) {
      return Future.failedFuture(new AdminException(400, "not a queue id"));
    }
    return spool.load(id).recover(e -> Future.failedFuture(new AdminException(404, "no queue id " + id)));
  }

  /** Visits envelopes one at a time (bounded memory) while {@code visit} returns true; vanished ids are skipped. */
  private Future<Void> each(Iterator<String> ids, java.util.function.Function<Envelope, Boolean> visit) {
    return AsyncLoop.forEach(ids, id -> spool.load(id).transform(ar ->
        Future.succeededFuture(ar.failed() || visit.apply(ar.result()))));
  }
}
