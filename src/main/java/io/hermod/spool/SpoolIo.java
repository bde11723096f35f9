package io.hermod.spool;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The spool's own I/O threads ("spool.ioThreads"), so that blocking writes and fsyncs never run on an
 * event loop and do not compete with Vert.x's shared worker pool. The task queue is bounded; a full queue
 * fails the task (the writers' own backpressure keeps it far from full in practice).
 */
final class SpoolIo {

  /** Tasks that may wait for a thread; each writer has at most a few queued, so this is a safety net. */
  static final int QUEUE_CAPACITY = 4096;

  private final ThreadPoolExecutor executor;

  SpoolIo(int threads) {
    AtomicInteger count = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(QUEUE_CAPACITY), task -> {
          Thread thread = new Thread(task, "hermod-spool-io-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  /** Runs {@code task} on an I/O thread; the future completes on {@code context}. */
  <T> Future<T> run(Context context, Callable<T> task) {
    Promise<T> promise = Promise.promise();
    try {
      executor.execute(() -> {
        try {
          T result = task.call();
          context.runOnContext(v -> promise.complete(result));
        } catch (Throwable e) {
          context.runOnContext(v -> promise.fail(e));
        }
      });
    } catch (RuntimeException rejected) {
      return Future.failedFuture(rejected);
    }
    return promise.future();
  }

  /** Runs {@code task} on an I/O thread, nobody waiting for it; false if the queue was full. */
  boolean execute(Runnable task) {
    try {
      executor.execute(task);
      return true;
    } catch (RuntimeException rejected) {
      return false;
    }
  }

  void shutdown() {
    executor.shutdown();
  }
}
