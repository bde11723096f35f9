package io.hermod.routing;

import io.hermod.api.Addresses;
import io.hermod.delivery.DeliveryJob;
import io.hermod.delivery.DeliveryReport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Stands in for the delivery verticles in router tests: consumes {@link Addresses#DELIVERY_JOB}, records
 * every job, and answers with what the test programs (a report, a failed future = request failure, or a
 * future that never completes = no answer). Counts jobs in flight per destination.
 */
final class FakeDelivery {

  /** A job as received, with the time it arrived. */
  record Received(DeliveryJob job, Instant at) {
  }

  final List<Received> jobs = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
  private volatile Function<DeliveryJob, Future<DeliveryReport>> behaviour = FakeDelivery::deliverAll;
  private MessageConsumer<Object> consumer;

  Future<Void> start(Vertx vertx) {
    consumer = vertx.eventBus().consumer(Addresses.DELIVERY_JOB, this::handle);
    return consumer.completion();
  }

  void answer(Function<DeliveryJob, Future<DeliveryReport>> newBehaviour) {
    behaviour = newBehaviour;
  }

  int maxInFlight(String destination) {
    AtomicInteger n = maxInFlight.get(destination);
    return n == null ? 0 : n.get();
  }

  /** The router hands over the DeliveryJob itself (docs/eventbus.md); JSON is taken too. */
  private void handle(Message<Object> message) {
    DeliveryJob job = message.body() instanceof DeliveryJob j ? j : DeliveryJob.fromJson((JsonObject) message.body());
    jobs.add(new Received(job, Instant.now()));
    int now = inFlight.computeIfAbsent(job.destination(), d -> new AtomicInteger()).incrementAndGet();
    maxInFlight.computeIfAbsent(job.destination(), d -> new AtomicInteger()).accumulateAndGet(now, Math::max);
    behaviour.apply(job).onComplete(result -> {
      inFlight.get(job.destination()).decrementAndGet();
      if (result.succeeded()) {
        message.reply(result.result());
      } else {
        message.fail(503, result.cause().getMessage());
      }
    });
  }

  static Future<DeliveryReport> deliverAll(DeliveryJob job) {
    return Future.succeededFuture(report(job, r -> result(r, DeliveryReport.Outcome.DELIVERED, 250, "2.0.0", "ok")));
  }

  static DeliveryReport report(DeliveryJob job, Function<String, DeliveryReport.Result> perRecipient) {
    DeliveryJob.Host host = job.hosts().get(0);
    return new DeliveryReport(host.name(), host.address(),
        job.recipients().stream().map(r -> perRecipient.apply(r.address())).toList());
  }

  static DeliveryReport.Result result(String address, DeliveryReport.Outcome outcome, int code, String status,
                                      String text) {
    return new DeliveryReport.Result(address, outcome, code, status, text, true);
  }
}
