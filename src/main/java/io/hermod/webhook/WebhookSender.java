package io.hermod.webhook;

import io.hermod.config.WebhookConfig;
import io.hermod.events.CursorStore;
import io.hermod.events.EventJournal;
import io.hermod.events.JournalEntry;
import io.hermod.metrics.HermodMetrics;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Feeds one endpoint from this node's journal (docs/events.md "Webhooks"): reads after the endpoint's cursor,
 * POSTs up to {@code concurrency} batches at once, retries a failed batch (same events, fresh signature) with
 * backoff until it is acknowledged, and commits the cursor over the contiguous acknowledged prefix. Memory is at
 * most {@code concurrency} batch bodies; whatever the endpoint has not taken stays on disk in the journal.
 *
 * <p>Runs on one Vert.x context (the webhook verticle's): all its state is touched from that thread only, but the
 * metric gauges, read at scrape time.
 */
final class WebhookSender {

  private static final Logger LOG = Logger.getLogger(WebhookSender.class.getName());
  /** A read that failed, or found nothing although lastSeq said there was: look again after this. */
  private static final long REREAD_MILLIS = 200;

  private final Vertx vertx;
  private final WebhookConfig config;
  private final EventJournal journal;
  private final CursorStore cursors;
  private final BatchBuilder builder;
  private final Function<WebhookBatch, Future<PostOutcome>> poster;
  private final RetryBackoff backoff;
  private final HermodMetrics metrics;
  private final LongSupplier nanoTime;
  private final AtomicBoolean wakeQueued = new AtomicBoolean();

  private Context context;
  private AckWindow window;
  private boolean stopped;
  private boolean reading;
  private long lingerSince = -1;
  private long wakeTimer = -1;
  private volatile long committed; // durable cursor position, read by the lag gauge
  private long commitWanted;
  private Future<Void> commitInFlight;
  private volatile long backoffMillis;
  private boolean commitFailing; // logged once per streak of failed commits

  WebhookSender(Vertx vertx, WebhookConfig config, EventJournal journal, CursorStore cursors, BatchBuilder builder,
                Function<WebhookBatch, Future<PostOutcome>> poster, RetryBackoff backoff, HermodMetrics metrics,
                LongSupplier nanoTime) {
    this.vertx = vertx;
    this.config = config;
    this.journal = journal;
    this.cursors = cursors;
    this.builder = builder;
    this.poster = poster;
    this.backoff = backoff;
    this.metrics = metrics;
    this.nanoTime = nanoTime;
  }

  /**
   * Starts from the cursor; an endpoint seen for the first time starts at the oldest entry the journal keeps
   * (nothing the journal still has is withheld from a new endpoint). Call on the verticle's context.
   */
  Future<Void> start() {
    context = vertx.getOrCreateContext();
    Promise<Void> started = Promise.promise();
    here(cursors.position(config.cursorName()), ar -> {
      if (ar.failed()) {
        started.fail(ar.cause());
        return;
      }
      long start = ar.result().orElse(Math.max(0, journal.firstSeq() - 1));
      committed = start;
      commitWanted = start;
      window = new AckWindow(start);
      metrics.webhookState(config.name(), () -> Math.max(0, journal.lastSeq() - committed), () -> backoffMillis);
      journal.onAppend(this::wake);
      LOG.info("webhook " + config.name() + ": posting to " + config.url() + " from journal seq " + (start + 1)
          + " (" + Math.max(0, journal.lastSeq() - start) + " event(s) behind)");
      started.complete();
      pump();
    });
    return started.future();
  }

  /**
   * Stops sending, then commits what was acknowledged so far; completes once that commit is done. Batches not
   * acknowledged are sent again after the next start (at-least-once).
   */
  Future<Void> stop() {
    stopped = true;
    if (wakeTimer >= 0) {
      vertx.cancelTimer(wakeTimer);
    }
    Future<Void> pending = commitInFlight == null ? Future.succeededFuture() : commitInFlight;
    return pending.transform(x -> {
      commitNext();
      return commitInFlight == null ? Future.succeededFuture() : commitInFlight;
    });
  }

  /** The durable cursor position (tests, lag). */
  long committed() {
    return committed;
  }

  /** From the journal's context on every durable append: one pump queued at a time, however fast appends come. */
  private void wake() {
    if (wakeQueued.compareAndSet(false, true)) {
      context.runOnContext(v -> {
        wakeQueued.set(false);
        pump();
      });
    }
  }

  /** Starts the next batch when a slot is free and there is something to send (or a partial batch has lingered). */
  private void pump() {
    if (stopped || reading || window.size() >= config.concurrency()) {
      return;
    }
    long after = window.dispatchedUpTo();
    long available = journal.lastSeq() - after;
    if (available <= 0) {
      lingerSince = -1;
      return; // the next append wakes us
    }
    if (available < config.batchSize() && config.lingerMillis() > 0) {
      long now = nanoTime.getAsLong();
      if (lingerSince < 0) {
        lingerSince = now;
      }
      long waited = (now - lingerSince) / 1_000_000;
      if (waited < config.lingerMillis()) {
        wakeAfter(config.lingerMillis() - waited);
        return;
      }
    }
    lingerSince = -1;
    reading = true;
    here(journal.read(after, config.batchSize(), config.maxBatchBytes()), ar -> {
      reading = false;
      if (stopped) {
        return;
      }
      if (ar.failed()) {
        LOG.warning("webhook " + config.name() + ": reading the event journal after seq " + after + " failed: "
            + ar.cause());
        wakeAfter(REREAD_MILLIS);
      } else if (ar.result().isEmpty()) {
        wakeAfter(REREAD_MILLIS);
      } else {
        dispatch(after, ar.result());
        pump();
      }
    });
  }

  private void wakeAfter(long millis) {
    if (wakeTimer >= 0 || stopped) {
      return;
    }
    wakeTimer = vertx.setTimer(Math.max(1, millis), id -> {
      wakeTimer = -1;
      pump();
    });
  }

  private void dispatch(long after, List<JournalEntry> entries) {
    long first = entries.get(0).seq();
    if (first > after + 1) {
      // Retention dropped entries this endpoint never acknowledged: say so loudly, it is lost data for the receiver.
      LOG.warning("webhook " + config.name() + ": journal seq " + (after + 1) + " to " + (first - 1)
          + " were dropped by the journal's retention before the endpoint acknowledged them");
      metrics.webhookSkipped(config.name(), first - after - 1);
    }
    WebhookBatch batch = builder.build(after, entries);
    window.dispatched(batch.lastSeq());
    if (batch.isEmpty()) {
      acknowledged(batch); // nothing the filter wants: the range is done
    } else {
      send(batch, 1);
    }
  }

  private void send(WebhookBatch batch, int attempt) {
    here(poster.apply(batch), ar -> {
      PostOutcome outcome = ar.succeeded() ? ar.result() : PostOutcome.error(ar.cause());
      metrics.webhookPost(config.name(), outcome.tag());
      if (stopped) {
        return;
      }
      if (outcome.acknowledged()) {
        if (attempt > 1) {
          LOG.info("webhook " + config.name() + ": seq " + (batch.after() + 1) + " to " + batch.lastSeq()
              + " acknowledged after " + attempt + " attempts");
        }
        backoffMillis = 0;
        metrics.webhookEvents(config.name(), batch.events());
        acknowledged(batch);
        pump();
      } else {
        long delay = backoff.delayMillis(attempt);
        backoffMillis = delay;
        // Logged at the first failure and then at each doubling, not every retry of a long outage.
        if (Integer.bitCount(attempt) == 1) {
          LOG.warning("webhook " + config.name() + ": POST of seq " + (batch.after() + 1) + " to " + batch.lastSeq()
              + " failed (" + outcome.detail() + "), attempt " + attempt + "; retrying in " + delay + " ms");
        }
        vertx.setTimer(delay, id -> {
          if (!stopped) {
            send(batch, attempt + 1);
          }
        });
      }
    });
  }

  private void acknowledged(WebhookBatch batch) {
    long committable = window.acknowledged(batch.lastSeq());
    if (committable > commitWanted) {
      commitWanted = committable;
      commitNext();
    }
  }

  /** One cursor commit at a time; acknowledgements that arrive meanwhile are folded into the next one. */
  private void commitNext() {
    if (commitInFlight != null || commitWanted <= committed) {
      return;
    }
    long target = commitWanted;
    Promise<Void> done = Promise.promise();
    commitInFlight = done.future();
    here(cursors.commit(config.cursorName(), target), ar -> {
      commitInFlight = null;
      if (ar.succeeded()) {
        committed = Math.max(committed, target);
        commitFailing = false;
        if (!stopped) {
          commitNext();
        }
      } else if (!stopped) {
        // The events were acknowledged, so nothing is lost: at worst they are sent again after a restart.
        if (!commitFailing) {
          commitFailing = true;
          LOG.warning("webhook " + config.name() + ": committing the cursor at " + target + " failed (retrying every "
              + REREAD_MILLIS + " ms): " + ar.cause());
        }
        vertx.setTimer(REREAD_MILLIS, id -> commitNext());
      }
      done.complete();
    });
  }

  /** The journal and cursor store may complete on their own threads: state is only touched on this context. */
  private <T> void here(Future<T> future, Handler<AsyncResult<T>> handler) {
    future.onComplete(ar -> {
      if (Vertx.currentContext() == context) {
        handler.handle(ar);
      } else {
        context.runOnContext(v -> handler.handle(ar));
      }
    });
  }
}
