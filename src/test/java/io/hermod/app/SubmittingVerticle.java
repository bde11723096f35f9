package io.hermod.app;

import io.hermod.api.HermodClient;
import io.hermod.api.Submission;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/**
 * An application verticle as a user writes one, deployed by Hermod through the "verticles" configuration: in
 * start() and again in stop() it submits a message over {@link HermodClient} and reports the queue id (or the
 * failure) to the test on the address config().report, which acknowledges it. Each instance reports its own identity, so that a test
 * can count instances.
 */
public class SubmittingVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    return submitAndReport("start");
  }

  @Override
  public Future<?> stop() {
    return submitAndReport("stop");
  }

  /** Acknowledged by the test before start() or stop() completes; nothing to do without config().report. */
  private Future<?> report(JsonObject report) {
    String address = config().getString("report");
    return address == null ? Future.succeededFuture() : vertx.eventBus().request(address, report);
  }

  private Future<?> submitAndReport(String phase) {
    String from = config().getString("from");
    String to = config().getString("to");
    String tag = phase + "-" + System.identityHashCode(this);
    JsonObject report = new JsonObject().put("phase", phase).put("instance", System.identityHashCode(this))
        .put("tag", tag).put("config", config());
    return HermodClient.create(vertx)
        .submit(Submission.builder().from(from).to(to).tag(tag)
            .raw("From: " + from + "\nTo: " + to + "\nSubject: " + phase + "\n\nsubmitted in " + phase + "()\n")
            .build())
        .map(r -> report.put("queueId", r.queueId()))
        .otherwise(e -> report.put("error", String.valueOf(e)))
        .compose(this::report);
  }
}
