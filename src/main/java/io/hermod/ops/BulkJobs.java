package io.hermod.ops;

import io.hermod.async.AsyncLoop;
import io.hermod.queue.QueueIndex;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * Bulk actions in the background (docs/operations.md, "Bulk actions"): a job walks the {@link QueueIndex} a
 * page of {@link #BATCH} ids at a time, applies {@link QueueAdmin}'s single-message operation to each, saves
 * its progress ({@link BulkJobStore}) and yields before the next page, so it never holds more than one page
 * and the API stays responsive meanwhile. A job still running at a restart starts over from the start of the
 * index: every action is idempotent per message (a held message stays held, a deleted one is gone). Runs on
 * the ops verticle's context, like {@link QueueAdmin}.
 */
public final class BulkJobs {

  private static final Logger LOG = Logger.getLogger(BulkJobs.class.getName());

  static final int BATCH = 500;
  /** Operations of one page in flight at once: their spool updates share the group commit's fsyncs. */
  static final int IN_FLIGHT = 32;
  /** Finished jobs remembered (on disk and in GET /queue/bulk); the oldest are forgotten beyond that. */
  static final int KEPT = 100;

  private final BulkJobStore store;
  private final QueueAdmin admin;
  private final Clock clock;
  private final Map<String, BulkJob> jobs = new LinkedHashMap<>(); // oldest first
  private volatile int running;
  private Vertx vertx;
  private Context context;
  private boolean stopped;

  /** @param dir where the jobs' files are: {@code <spool>/bulk} */
  public BulkJobs(Path dir, QueueAdmin admin, Clock clock) {
    this.store = new BulkJobStore(dir);
    this.admin = admin;
    this.clock = clock;
  }

  /** On the ops verticle's context: loads the jobs on disk; the unfinished ones start over once {@code recovered}. */
  Future<Void> start(Vertx vertx, Future<Void> recovered) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    return vertx.executeBlocking(store::loadAll).map(loaded -> {
      loaded.sort(Comparator.comparing(job -> job.startedAt));
      loaded.forEach(job -> jobs.put(job.id, job));
      recovered.onSuccess(v -> context.runOnContext(x -> loaded.stream().filter(BulkJob::running).forEach(job -> {
        LOG.info("bulk job " + job.id + " (" + job.action.label() + ") was running: it starts over");
        job.startOver();
        walk(job, 0);
      })));
      count();
      return null;
    });
  }

  /** No further batches; a running job stays "running" on disk and starts over at the next start. */
  void stop() {
    stopped = true;
  }

  /** Jobs running now (for hermod_queue_bulk_jobs; any thread). */
  public int running() {
    return running;
  }

  /** {"action", filter fields, "all"}: the new job's id once its file is on disk. */
  Future<JsonObject> submit(JsonObject request) {
    BulkJob job = new BulkJob(newId(), BulkJob.Request.parse(request), clock.instant());
    jobs.put(job.id, job);
    count();
    return save(job).onSuccess(v -> walk(job, 0)).onFailure(e -> {
      jobs.remove(job.id);
      count();
    }).map(v -> new JsonObject().put("job", job.id));
  }

  JsonObject list() {
    List<BulkJob> newestFirst = new ArrayList<>(jobs.values());
    Collections.reverse(newestFirst);
    JsonArray all = new JsonArray();
    newestFirst.forEach(job -> all.add(job.toJson()));
    return new JsonObject().put("jobs", all);
  }

  JsonObject show(String id) {
    return find(id).toJson();
  }

  /** Stops a running job after the messages in flight; its state becomes "cancelled". */
  JsonObject cancel(String id) {
    BulkJob job = find(id);
    if (!job.running()) {
      throw new AdminException(409, "bulk job " + id + " is " + job.toJson().getString("state") + " already");
    }
    job.cancelRequested = true;
    return job.toJson();
  }

  private BulkJob find(String id) {
    BulkJob job = jobs.get(id);
    if (job == null) {
      throw new AdminException(404, "no bulk job " + id);
    }
    return job;
  }

  /** One page from {@code cursor}, then the next one from a fresh event (the loop yields between pages). */
  private void walk(BulkJob job, long cursor) {
    if (stopped) {
      return;
    }
    if (job.cancelRequested) {
      end(job, BulkJob.State.CANCELLED, null);
      return;
    }
    QueueIndex.Page page;
    try {
      page = admin.index().page(job.filter.toIndex(), cursor, BATCH, clock.instant());
    } catch (RuntimeException e) {
      end(job, BulkJob.State.FAILED, "queue index: " + e.getMessage());
      return;
    }
    applyAll(job, page.ids()).compose(v -> stopped ? Future.succeededFuture() : save(job)).onComplete(ar -> {
      if (stopped) {
        return;
      }
      if (ar.failed()) {
        end(job, BulkJob.State.FAILED, "cannot save the job's progress: " + ar.cause().getMessage());
      } else if (page.nextCursor() < 0) {
        end(job, job.cancelRequested ? BulkJob.State.CANCELLED : BulkJob.State.DONE, null);
      } else {
        context.runOnContext(v -> walk(job, page.nextCursor()));
      }
    });
  }

  private Future<Void> applyAll(BulkJob job, List<String> ids) {
    return AsyncLoop.forEach(ids.iterator(), IN_FLIGHT, id -> stopped || job.cancelRequested
        ? Future.succeededFuture(false) : applyOne(job, id).map(true));
  }

  /**
   * 404 (gone meanwhile, or a sender that only shares the filter's hash): not a match. 409 (the router works on
   * it) and 503 (the router's window is full, for a bounce): skipped, not an error of the job.
   */
  private Future<Void> applyOne(BulkJob job, String id) {
    return admin.apply(job.action, id, job.filter::senderMatches).transform(ar -> {
      int status = ar.cause() instanceof AdminException e ? e.status : 500;
      if (ar.succeeded() || status != 404) {
        job.matched++;
      }
      if (ar.succeeded()) {
        job.done++;
      } else if (status == 409 || status == 503) {
        job.skipped++;
      } else if (status != 404) {
        job.errors++;
        job.lastError = id + ": " + ar.cause().getMessage();
      }
      return Future.succeededFuture();
    });
  }

  private void end(BulkJob job, BulkJob.State state, String error) {
    job.finish(state, clock.instant());
    if (error != null) {
      job.lastError = error;
      LOG.warning("bulk job " + job.id + " failed: " + error);
    }
    count();
    save(job).onFailure(e -> LOG.warning("bulk job " + job.id + ": cannot save its end: " + e.getMessage()));
    forgetOldJobs();
  }

  private void forgetOldJobs() {
    List<BulkJob> finished = jobs.values().stream().filter(job -> !job.running()).toList();
    for (int i = 0; i < finished.size() - KEPT; i++) {
      String id = finished.get(i).id;
      jobs.remove(id);
      vertx.executeBlocking(() -> {
        store.delete(id);
        return null;
      });
    }
  }

  private Future<Void> save(BulkJob job) {
    JsonObject snapshot = job.toJson(); // here, on the context: the worker must not read the counters
    return vertx.executeBlocking(() -> {
      store.save(job.id, snapshot);
      return null;
    });
  }

  private void count() {
    running = (int) jobs.values().stream().filter(BulkJob::running).count();
  }

  /** Time-ordered, unique here: base-36 milliseconds and four random hex digits (also a safe file name). */
  private String newId() {
    String id;
    do {
      int random = ThreadLocalRandom.current().nextInt(0x10000);
      id = Long.toString(clock.millis(), 36) + "-" + String.format("%04x", random);
    } while (jobs.containsKey(id));
    return id;
  }
}
