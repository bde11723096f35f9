package io.hermod.routing;

import io.hermod.api.Addresses;
import io.hermod.delivery.DeliveryLog;
import io.hermod.delivery.DeliveryReport;
import io.hermod.delivery.RecipientReport;
import io.hermod.spool.Envelope;
import io.hermod.spool.Spool;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Makes one round of outcomes durable, in the order that loses nothing on a crash:
 * <ol>
 *   <li>the DSN owed for this round (failures, a delay warning when due, success notices) is spooled and
 *   committed;</li>
 *   <li>the envelope with the new recipient states is persisted ({@code spool.update}), unless every recipient
 *   is final and no DSN was owed: then the removal of step 4 stands for it (one journal record, and no fsync of
 *   its own: issue #17), and a crash that loses the removal means one more delivery, never a lost message;</li>
 *   <li>the events are published and the DSN is triggered;</li>
 *   <li>a message whose recipients are all final is removed.</li>
 * </ol>
 * A crash between 1 and 2 sends the DSN again after a retry (a duplicate, never a lost bounce).
 */
final class OutcomePersister {

  private static final Logger LOG = Logger.getLogger(OutcomePersister.class.getName());
  /** The delivery log (logger io.hermod.delivery), where an operator looks for every recipient's outcome. */
  // The shipped bounce rules: an operator's rule file classifies the events, not these lines (yet).
  static final DeliveryLog LOG_LINES = new DeliveryLog(Logger.getLogger("io.hermod.delivery"),
      io.hermod.shaping.BounceClassifier.shipped());

  private final Spool spool;
  private final OutcomeRecorder recorder;
  private final BounceWriter bounces;
  private final DeliveryEvents events;
  private final EventBus bus;
  private final Clock clock;

  OutcomePersister(Spool spool, OutcomeRecorder recorder, BounceWriter bounces, DeliveryEvents events,
                   EventBus bus, Clock clock) {
    this.spool = spool;
    this.recorder = recorder;
    this.bounces = bounces;
    this.events = events;
    this.bus = bus;
    this.clock = clock;
  }

  /** Records {@code report} for {@code msg}; call through {@link ActiveMessage#serially}. */
  Future<Void> persist(ActiveMessage msg, DeliveryReport report) {
    return persist(msg, report, false);
  }

  /**
   * As above; {@code decidedHere}: the router made the report itself, without a delivery attempt (DNS said no
   * or not now), so nobody logged its outcomes yet. Every outcome is logged once it is durable, in the delivery
   * log's shape: those, and expiries (the delivery side logged the attempt as deferred; the router decides that
   * the message's lifetime is over). So is the DSN's queue id.
   */
  Future<Void> persist(ActiveMessage msg, DeliveryReport report, boolean decidedHere) {
    Instant now = clock.instant();
    OutcomeRecorder.Recorded rec = recorder.record(msg.envelope(), report, now);
    if (rec.outcomes().isEmpty()) {
      return Future.succeededFuture();
    }
    List<RecipientReport> dsnReports = new ArrayList<>(rec.failures());
    dsnReports.addAll(rec.delays());
    dsnReports.addAll(rec.successes());
    Future<String> dsn = dsnReports.isEmpty() ? Future.succeededFuture()
        : bounces.write(rec.envelope(), msg.content, dsnReports, now);
    return dsn.compose(dsnId -> persisted(rec.envelope(), dsnId).map(v -> {
      msg.envelope(rec.envelope());
      rec.outcomes().forEach(o -> events.publish(rec.envelope(), o, now, report.tls()));
      rec.outcomes().stream().filter(o -> decidedHere || o.kind() == RecipientOutcome.Kind.EXPIRED)
          .forEach(o -> log(rec.envelope(), o, now));
      if (dsnId != null) {
        LOG_LINES.notification(msg.id(), !rec.failures().isEmpty(), dsnId);
        bus.send(Addresses.ROUTER_TRIGGER, new JsonObject().put("id", dsnId), Addresses.nodeLocal());
      }
      return null;
    })).compose(v -> rec.envelope().isDone() ? spool.remove(msg.id()) : Future.<Void>succeededFuture())
        .onFailure(e -> LOG.warning("queue id " + msg.id() + ": could not record outcomes (" + e.getMessage()
            + "); the recipients stay as last persisted and are retried"));
  }

  /** Step 2: nothing to write when the removal that follows says it all (see the class comment). */
  private Future<Void> persisted(Envelope updated, String dsnId) {
    return updated.isDone() && dsnId == null ? Future.succeededFuture() : spool.update(updated);
  }

  private static void log(Envelope env, RecipientOutcome o, Instant now) {
    DeliveryReport.Outcome outcome = switch (o.kind()) {
      case DELIVERED -> DeliveryReport.Outcome.DELIVERED;
      case DEFERRED -> DeliveryReport.Outcome.DEFERRED;
      case BOUNCED, EXPIRED -> DeliveryReport.Outcome.FAILED;
    };
    LOG_LINES.decided(env.id(), o.recipient().address(), Duration.between(env.arrival(), now), o.status(), outcome,
        o.recipient().lastReply());
  }
}
