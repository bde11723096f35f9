package example;

import io.hermod.api.DeliveryEvent;
import io.hermod.api.EventBatch;
import io.hermod.api.EventFeed;
import io.hermod.api.EventFeedOptions;
import io.hermod.api.HermodClient;
import io.hermod.api.Submission;
import io.hermod.api.SubmitResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * An application verticle that submits {@code count} messages to Hermod over {@code hermod.submit} with at most
 * {@code outstanding} requests in flight (docs/injection.md: the bus has no backpressure of its own, so the
 * caller bounds it and backs off on 503), and, with {@code followEvents}, waits until {@code hermod.events}
 * has reported a final outcome for each of them; with {@code feed} (a subscription name) it also reads the durable
 * event feed (docs/events.md, {@link EventFeed}) and waits until the feed too has reported each. It runs the same anywhere on the bus: in Hermod's JVM, or in
 * an application JVM that joined the cluster (ClusterApp, docs/cluster.md "In its own JVM, in the cluster").
 *
 * <p>Config: {@code from}, {@code to} (one recipient per message), {@code count}, {@code outstanding},
 * {@code followEvents}, {@code feed}, {@code warmup} (messages submitted and not timed first, for a benchmark's JIT).
 * {@link #result()} completes with {"accepted", "refused", "retries", "seconds", "acceptedPerSecond", and with
 * followEvents "outcomes": {outcome: count}, "final", and with feed "feedOutcomes", "feedFinal", "feedEvents"}.
 */
public final class BulkSubmitter extends VerticleBase {

  /** Outcomes after which Hermod does nothing more for the recipient (docs/eventbus.md). */
  private static final Set<String> FINAL = Set.of("delivered", "bounced", "expired");
  private static final long BACKOFF_MS = 20;
  private static final int MAX_REMEMBERED = 1_000_000;
  private static final int PROBES = 10;
  private static final long PROBE_WAIT_NANOS = 3_000_000_000L;

  private final Promise<JsonObject> result = Promise.promise();
  private final Set<String> accepted = new HashSet<>();
  /** Final outcomes by queue id, also of ids whose submit reply has not come yet (an event can come first). */
  private final Map<String, String> finalOutcomes = new HashMap<>();
  /** The same from the durable feed, which starts at the oldest event each node keeps: nothing to miss. */
  private final Map<String, String> feedOutcomes = new HashMap<>();
  private EventFeed feed;
  private long feedEvents;
  private HermodClient hermod;
  private MessageConsumer<JsonObject> events;
  private String from;
  private String to;
  private int outstanding;
  private boolean followEvents;

  private Batch batch;
  private int refused;
  private int retries;
  private long startedNanos;
  private double seconds;

  /** What the run saw; fails only if the run could not start. */
  public Future<JsonObject> result() {
    return result.future();
  }

  @Override
  public Future<?> start() {
    JsonObject c = config();
    from = c.getString("from", "app@example.test");
    to = c.getString("to", "someone@example.net");
    outstanding = c.getInteger("outstanding", 32);
    followEvents = c.getBoolean("followEvents", true);
    int count = c.getInteger("count", 1000);
    int warmup = c.getInteger("warmup", 0);
    hermod = HermodClient.create(vertx);
    Future<Void> ready = Future.succeededFuture();
    if (followEvents) {
      // Subscribe before the first submission; hermod.events is a publish and misses absent consumers.
      events = hermod.onEvent(this::onEvent);
      ready = events.completion().compose(v -> probe(1));
    }
    String feedName = c.getString("feed");
    if (feedName != null) {
      ready = ready.compose(v -> EventFeed.subscribe(vertx, feedName, new EventFeedOptions(), this::onBatch))
          .map(subscribed -> {
            feed = subscribed;
            return null;
          });
    }
    ready.compose(v -> runBatch("warmup", warmup))
        .compose(v -> {
          refused = 0;
          retries = 0;
          startedNanos = System.nanoTime();
          return runBatch("m", count);
        })
        .onSuccess(v -> {
          seconds = (System.nanoTime() - startedNanos) / 1e9;
          if (followEvents || feed != null) {
            vertx.setPeriodic(0, 100, id -> {
              if (allFinal()) {
                vertx.cancelTimer(id);
                result.tryComplete(summary());
              }
            });
          } else {
            result.tryComplete(summary());
          }
        })
        .onFailure(result::tryFail);
    return Future.succeededFuture(); // deployed at once; the run goes on and ends in result()
  }

  /**
   * Our subscription reaches the other nodes a moment after {@code completion()} (each node caches the cluster's
   * subscriptions): submit a probe message until its outcome comes back, so that no counted message's event can
   * fall into that window.
   */
  private Future<Void> probe(int attempt) {
    Submission message = Submission.builder().from(from).to(to)
        .raw("Message-ID: <probe." + attempt + "@bulk.example>\nSubject: probe\n\nprobe\n").build();
    return hermod.submit(message).compose(r -> {
      Promise<Void> seen = Promise.promise();
      long started = System.nanoTime();
      vertx.setPeriodic(50, id -> {
        if (finalOutcomes.containsKey(r.queueId()) || System.nanoTime() - started > PROBE_WAIT_NANOS) {
          vertx.cancelTimer(id);
          seen.complete();
        }
      });
      return seen.future().compose(v -> {
        if (finalOutcomes.containsKey(r.queueId())) {
          return Future.succeededFuture();
        }
        return attempt < PROBES ? probe(attempt + 1)
            : Future.failedFuture("no event on hermod.events for " + PROBES + " probe messages");
      });
    });
  }

  /** Submits {@code n} messages with Message-IDs {@code <prefix.N@bulk.example>}, never more than outstanding at once. */
  private Future<Void> runBatch(String prefix, int n) {
    batch = new Batch(prefix, n);
    if (n == 0) {
      batch.done.complete();
    }
    pump();
    return batch.done.future();
  }

  private void pump() {
    Batch b = batch;
    while (b.inFlight < outstanding && b.next < b.count) {
      submit(b, b.next++);
    }
  }

  private void submit(Batch b, int n) {
    b.inFlight++;
    Submission message = Submission.builder().from(from).to(to)
        .raw("Message-ID: <" + b.prefix + "." + n + "@bulk.example>\nSubject: bulk " + n + "\n\nmessage " + n + "\n")
        .build();
    hermod.submit(message).onComplete(reply -> {
      b.inFlight--;
      if (reply.succeeded()) {
        onAccepted(b, reply.result());
      } else if (HermodClient.isRetryable(reply.cause())) {
        // 503 (busy), spool error or timeout: back off, then the same message again (a timeout may duplicate it).
        retries++;
        b.inFlight++;
        vertx.setTimer(BACKOFF_MS, t -> {
          b.inFlight--;
          submit(b, n);
        });
        return;
      } else {
        refused++;
        b.finished++;
      }
      if (b.finished == b.count) {
        b.done.tryComplete();
      } else {
        pump();
      }
    });
  }

  private void onAccepted(Batch b, SubmitResult r) {
    b.finished++;
    if (b == batch && !b.prefix.equals("warmup")) {
      accepted.add(r.queueId());
    }
  }

  private void onEvent(DeliveryEvent e) {
    remember(finalOutcomes, e);
  }

  /** A batch of one node's feed; acknowledged once the returned future succeeds. */
  private Future<Void> onBatch(EventBatch batch) {
    feedEvents += batch.events().size();
    batch.events().forEach(e -> remember(feedOutcomes, e.event()));
    return Future.succeededFuture();
  }

  /** Every message's events reach every consumer: remember a bounded number (others' ids among them). */
  private static void remember(Map<String, String> outcomes, DeliveryEvent e) {
    if (FINAL.contains(e.outcome()) && outcomes.size() < MAX_REMEMBERED) {
      outcomes.put(e.queueId(), e.outcome());
    }
  }

  private boolean allFinal() {
    return (!followEvents || accepted.stream().allMatch(finalOutcomes::containsKey))
        && (feed == null || accepted.stream().allMatch(feedOutcomes::containsKey));
  }

  private JsonObject countOutcomes(Map<String, String> outcomes) {
    JsonObject counts = new JsonObject();
    accepted.forEach(id -> {
      String o = outcomes.getOrDefault(id, "none");
      counts.put(o, counts.getInteger(o, 0) + 1);
    });
    return counts;
  }

  private JsonObject summary() {
    JsonObject s = new JsonObject().put("accepted", accepted.size()).put("refused", refused).put("retries", retries)
        .put("seconds", seconds).put("acceptedPerSecond", seconds > 0 ? accepted.size() / seconds : 0);
    if (followEvents) {
      s.put("outcomes", countOutcomes(finalOutcomes))
          .put("final", accepted.stream().filter(finalOutcomes::containsKey).count());
    }
    if (feed != null) {
      s.put("feedOutcomes", countOutcomes(feedOutcomes))
          .put("feedFinal", accepted.stream().filter(feedOutcomes::containsKey).count()).put("feedEvents", feedEvents);
    }
    return s;
  }

  @Override
  public Future<?> stop() {
    return Future.all(events == null ? Future.succeededFuture() : events.unregister(),
        feed == null ? Future.succeededFuture() : feed.close());
  }

  /** One run of submissions: counters touched on this verticle's event loop only. */
  private static final class Batch {
    final String prefix;
    final int count;
    final Promise<Void> done = Promise.promise();
    int next;
    int inFlight;
    int finished;

    Batch(String prefix, int count) {
      this.prefix = prefix;
      this.count = count;
    }
  }
}
