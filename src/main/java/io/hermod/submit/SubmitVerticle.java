package io.hermod.submit;

import io.hermod.api.Addresses;
import io.hermod.api.SubmitFailure;

import io.hermod.config.HermodConfig;
import io.hermod.flow.FlowGate;
import java.util.function.Supplier;
import io.hermod.spool.Envelope;
import io.hermod.spool.Spool;
import io.hermod.spool.SpoolException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The injection API: applications submit messages over the event bus, request/reply on
 * {@link Addresses#SUBMIT} (docs/injection.md). The reply is sent only once the message is durably in the
 * spool; then the router is triggered exactly as after an SMTP transaction.
 *
 * <p>Backpressure (the bus has none of its own): a submission is refused with 503 while the spool is over its
 * high-water mark, while {@code maxInFlight} submissions of this instance are still being written or waiting,
 * or while flow control finds delivery far behind ({@link FlowGate#overloaded}); and while delivery lags, the
 * reply to a committed submission waits for the flow delay (io.hermod.flow, docs/eventbus.md).
 */
public final class SubmitVerticle extends VerticleBase {

  public static final int DEFAULT_MAX_IN_FLIGHT = 256;

  private static final Logger LOG = Logger.getLogger(SubmitVerticle.class.getName());

  private final Supplier<HermodConfig> config;
  private final Spool spool;
  private final Clock clock;
  private final int maxInFlight;
  private FlowGate flow; // null until start when none was given: then one that never waits
  private Injector injector;
  private MessageConsumer<Object> consumer;
  private int inFlight;

  public SubmitVerticle(HermodConfig config, Spool spool) {
    this(config, spool, Clock.systemUTC(), DEFAULT_MAX_IN_FLIGHT);
  }

  public SubmitVerticle(HermodConfig config, Spool spool, Clock clock, int maxInFlight) {
    this(() -> config, spool, clock, maxInFlight);
  }

  /** @param config the configuration in force (a reload applies to the next submission) */
  public SubmitVerticle(Supplier<HermodConfig> config, Spool spool, Clock clock, int maxInFlight) {
    this(config, spool, clock, maxInFlight, null);
  }

  /** @param flow flow control shared with the SMTP listeners (null: never wait) */
  public SubmitVerticle(Supplier<HermodConfig> config, Spool spool, Clock clock, int maxInFlight, FlowGate flow) {
    this.config = config;
    this.spool = spool;
    this.clock = clock;
    this.maxInFlight = maxInFlight;
    this.flow = flow;
  }

  @Override
  public Future<?> start() {
    if (flow == null) {
      flow = FlowGate.open(vertx);
    }
    injector = new Injector(vertx, config, spool, clock);
    consumer = vertx.eventBus().consumer(Addresses.SUBMIT, this::handle);
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return consumer.unregister();
  }

  private void handle(Message<Object> request) {
    if (!(request.body() instanceof JsonObject json)) {
      refuse(request, SubmitFailure.BAD_REQUEST, "the request body must be a JSON object");
      return;
    }
    if (inFlight >= maxInFlight) {
      refuse(request, SubmitFailure.RETRY_LATER, "retry later: " + maxInFlight + " submissions in flight");
      return;
    }
    if (spool.overHighWater()) {
      refuse(request, SubmitFailure.RETRY_LATER, "retry later: the spool is over its high-water mark");
      return;
    }
    if (flow.overloaded()) {
      refuse(request, SubmitFailure.RETRY_LATER, "retry later: delivery is far behind (flow control)");
      return;
    }
    inFlight++;
    injector.inject(json).onComplete(done -> {
      if (done.succeeded()) {
        accepted(request, done.result());
      } else {
        inFlight--;
        failed(request, done.cause());
      }
    });
  }

  /** The router is told at once; the reply waits for the flow delay, still counted in flight meanwhile. */
  private void accepted(Message<Object> request, Envelope committed) {
    vertx.eventBus().send(Addresses.ROUTER_TRIGGER, new JsonObject().put("id", committed.id()), Addresses.nodeLocal());
    flow.pace(FlowGate.Intake.SUBMIT).onComplete(x -> {
      inFlight--;
      request.reply(new JsonObject().put("queueId", committed.id()).put("recipients", committed.recipients().size()));
    });
  }

  /** The one place that maps a failure to a reply code. */
  private void failed(Message<Object> request, Throwable err) {
    if (err instanceof SubmitRefused refused) {
      refuse(request, refused.failure(), refused.getMessage());
    } else if (err instanceof SpoolException se && se.reason() == SpoolException.Reason.FULL) {
      refuse(request, SubmitFailure.RETRY_LATER, "retry later: the spool is full");
    } else {
      LOG.log(Level.WARNING, "bus submission failed in the spool", err);
      refuse(request, SubmitFailure.SPOOL_ERROR, "spool failure, nothing was queued: " + err.getMessage());
    }
  }

  private static void refuse(Message<Object> request, SubmitFailure failure, String message) {
    request.fail(failure.code(), message);
  }
}
