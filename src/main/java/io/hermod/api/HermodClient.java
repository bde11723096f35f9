package io.hermod.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * A typed client for application verticles in the same Vert.x (or cluster) as Hermod: submit messages and
 * follow their delivery. Thin over the event bus; see docs/injection.md.
 *
 * <p>A refused submission fails with a {@link ReplyException} whose {@code failureCode()} is a
 * {@link SubmitFailure} code; {@link #isRetryable(Throwable)} tells whether to try the same submission again.
 */
public final class HermodClient {

  /** How long to wait for the spool's commit before giving up (the message may still have been queued). */
  public static final long DEFAULT_TIMEOUT_MS = 60_000;

  private final Vertx vertx;
  private final DeliveryOptions options;

  private HermodClient(Vertx vertx, DeliveryOptions options) {
    this.vertx = vertx;
    this.options = options;
  }

  public static HermodClient create(Vertx vertx) {
    return create(vertx, new DeliveryOptions().setSendTimeout(DEFAULT_TIMEOUT_MS));
  }

  /** With event-bus options of your own (timeout, headers, local only...). */
  public static HermodClient create(Vertx vertx, DeliveryOptions options) {
    return new HermodClient(vertx, new DeliveryOptions(options));
  }

  /** Succeeds once the message is durably in Hermod's spool. */
  public Future<SubmitResult> submit(Submission submission) {
    return vertx.eventBus().<JsonObject>request(Addresses.SUBMIT, submission.toJson(), options)
        .map(reply -> SubmitResult.fromJson(reply.body()));
  }

  /**
   * Calls {@code handler} for every delivery event of every message (filter on
   * {@link DeliveryEvent#queueId()}). Unregister the returned consumer when done.
   */
  public MessageConsumer<JsonObject> onEvent(Handler<DeliveryEvent> handler) {
    return vertx.eventBus().consumer(Addresses.EVENTS, msg -> handler.handle(DeliveryEvent.fromJson(msg.body())));
  }

  /**
   * True when submitting the same message later may succeed: Hermod asked to retry (503), its spool failed
   * (500), or no Hermod answered (no handler, timeout). A timeout is ambiguous: the message may be queued.
   */
  public static boolean isRetryable(Throwable failure) {
    if (!(failure instanceof ReplyException re)) {
      return false;
    }
    if (re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      return SubmitFailure.isRetryable(re.failureCode());
    }
    return true; // NO_HANDLERS, TIMEOUT, ERROR
  }
}
