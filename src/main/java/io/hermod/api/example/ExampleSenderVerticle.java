package io.hermod.api.example;

import io.hermod.api.DeliveryEvent;
import io.hermod.api.HermodClient;
import io.hermod.api.SubmitResult;
import io.hermod.api.Submission;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailMessage;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * How an application verticle uses Hermod's injection API (docs/injection.md): it follows delivery events,
 * submits one structured message and one raw message, and logs what happens to them. Deploy it next to
 * Hermod (same Vert.x or same cluster) with config {"from": "...", "to": "..."}.
 */
public final class ExampleSenderVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(ExampleSenderVerticle.class.getName());

  private final Set<String> mine = ConcurrentHashMap.newKeySet();
  private MessageConsumer<JsonObject> events;

  @Override
  public Future<?> start() {
    String from = config().getString("from", "app@example.test");
    String to = config().getString("to", "someone@example.net");
    HermodClient hermod = HermodClient.create(vertx);

    // Subscribe first, so no event of our own messages is missed; the bus carries every message's events.
    events = hermod.onEvent(this::onEvent);

    Submission structured = Submission.builder().from(from).to(to).tag("welcome")
        .message(new MailMessage().setFrom("Example App <" + from + ">").setTo(to)
            .setSubject("Welcome").setText("Hello,\nthis was submitted over the event bus.\n"))
        .build();
    Submission raw = Submission.builder().from(from).to(to).dsn("HDRS", "example-1", "FAILURE", "DELAY")
        .raw("From: " + from + "\nTo: " + to + "\nSubject: Raw hello\n\nPlain RFC 5322 text.\n")
        .build();

    return events.completion()
        .compose(v -> Future.all(send(hermod, structured), send(hermod, raw)));
  }

  private Future<SubmitResult> send(HermodClient hermod, Submission submission) {
    return hermod.submit(submission)
        .onSuccess(r -> {
          mine.add(r.queueId());
          LOG.info("queued " + r.queueId() + " for " + r.recipients() + " recipient(s)");
        })
        .onFailure(err -> LOG.warning("not queued (" + (HermodClient.isRetryable(err) ? "retry later" : "fix it")
            + "): " + err.getMessage()));
  }

  private void onEvent(DeliveryEvent e) {
    if (mine.contains(e.queueId())) {
      LOG.info(e.queueId() + " → " + e.recipient() + ": " + e.outcome()
          + (e.code() == null ? "" : " (" + e.code() + " " + e.status() + " " + e.text() + ")"));
    }
  }

  @Override
  public Future<?> stop() {
    return events.unregister();
  }
}
