package io.hermod.routing;

import io.hermod.api.Addresses;
import io.hermod.delivery.DeliveryReport;
import io.hermod.delivery.DsnAction;
import io.hermod.delivery.DsnBuilder;
import io.hermod.delivery.RecipientReport;
import io.hermod.spool.Envelope;
import io.hermod.spool.Recipient;
import io.hermod.spool.RecipientState;
import io.hermod.spool.Spool;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;

/**
 * An operator's bounce (queue admin API, docs/operations.md): every recipient still to be delivered fails with
 * {@value #REPLY}, and the sender gets the same RFC 3464 DSN as for a remote 5xx (per NOTIFY, never to the null
 * sender). Two durable steps make the DSN happen once across a crash:
 * <ol>
 *   <li>{@link #mark}: one {@code spool.update} sets the recipients FAILED and records a queue id reserved for
 *       the DSN ({@link Envelope#bounceDsnId()});</li>
 *   <li>{@link #finish}: unless the spool already holds a message under that id (committed before a crash), the
 *       DSN is spooled under it; then the original is removed, the events published and the DSN triggered.</li>
 * </ol>
 * The router runs both while the message holds its slot in the active window, so no delivery round of the same
 * message runs meanwhile, and finishes a marked message whenever it activates one (also after a restart).
 */
public final class OperatorBounce {

  /** The reply recorded for recipients an operator bounced (RFC 3463 5.0.0: other or undefined permanent). */
  static final String REPLY = "550 5.0.0 bounced by operator";

  private static final Logger LOG = Logger.getLogger(OperatorBounce.class.getName());

  private final Spool spool;
  private final BounceWriter bounces;
  private final DeliveryEvents events;
  private final EventBus bus;
  private final Clock clock;

  OperatorBounce(Spool spool, BounceWriter bounces, DeliveryEvents events, EventBus bus, Clock clock) {
    this.spool = spool;
    this.bounces = bounces;
    this.events = events;
    this.bus = bus;
    this.clock = clock;
  }

  /** The envelope with its unfinished recipients failed by the operator and {@code dsnId} recorded. */
  public static Envelope marked(Envelope env, String dsnId) {
    return env.mapRecipients(r -> r.state().isFinal() ? r : r.withOutcome(RecipientState.FAILED, REPLY))
        .withBounceDsnId(dsnId);
  }

  /** Step 1, durable when the future succeeds; fails with {@link IllegalStateException} if nothing is left. */
  Future<Envelope> mark(Envelope env) {
    if (env.isDone()) {
      return Future.failedFuture(new IllegalStateException("no recipient of " + env.id() + " is left to bounce"));
    }
    Envelope marked = marked(env, spool.newId());
    return spool.update(marked).map(marked);
  }

  /** Step 2 for an envelope {@link #mark} recorded. */
  Future<Void> finish(Envelope marked) {
    Instant now = clock.instant();
    List<Recipient> bounced = marked.recipients().stream().filter(OperatorBounce::byOperator).toList();
    List<RecipientReport> reports = bounced.stream()
        .filter(r -> DsnBuilder.shouldReport(marked, r, DsnAction.FAILED))
        // RFC 3464 §2.3.6: an X- diagnostic type for what we decided ourselves; no Remote-MTA.
        .map(r -> new RecipientReport(r, DsnAction.FAILED, "5.0.0", null, "X-Hermod; " + REPLY, now))
        .toList();
    String dsnId = marked.bounceDsnId();
    Future<String> dsn = reports.isEmpty() ? Future.succeededFuture()
        : spool.load(dsnId).map(dsnId) // already committed before a crash: never a second DSN
            .recover(absent -> spool.content(marked.id())
                .compose(content -> bounces.write(dsnId, marked, content, reports, now)));
    return dsn.compose(committed -> spool.remove(marked.id()).map(v -> {
      bounced.forEach(r -> events.publish(marked, new RecipientOutcome(r, RecipientOutcome.Kind.BOUNCED, null,
          550, "5.0.0", "bounced by operator"), now));
      bounced.forEach(r -> OutcomePersister.LOG_LINES.decided(marked.id(), r.address(),
          Duration.between(marked.arrival(), now), "5.0.0", DeliveryReport.Outcome.FAILED, REPLY));
      if (committed != null) {
        OutcomePersister.LOG_LINES.notification(marked.id(), true, committed);
        bus.send(Addresses.ROUTER_TRIGGER, new JsonObject().put("id", committed), Addresses.nodeLocal());
      }
      return (Void) null;
    })).onFailure(e -> LOG.warning("queue id " + marked.id() + ": operator bounce not finished (" + e.getMessage()
        + "); retried when the router next takes the message"));
  }

  private static boolean byOperator(Recipient r) {
    return r.state() == RecipientState.FAILED && REPLY.equals(r.lastReply());
  }
}
