package io.hermod.spool;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import static io.hermod.spool.SpoolTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class GroupCommitTest {

  private static final int SESSIONS = 4;
  private static final int MESSAGES_PER_SESSION = 50;

  @TempDir
  Path dir;

  /**
   * Four verticles (four contexts) commit 50 messages each, all at once, while the first fsync is held (a slow
   * disk): every commit that queued behind it must share the fsyncs that follow, at most {@code maxBatch} to
   * one. Whether fsyncs get shared no longer depends on how fast this machine's disk is.
   */
  @Test
  void concurrentCommitsShareFsyncsAndCompleteOnTheCallersContext(Vertx vertx, VertxTestContext test)
      throws Exception {
    FaultyFiles files = new FaultyFiles();
    FileSpool spool = files.spool(vertx, config(dir));
    await(spool.recover());
    CountDownLatch resume = new CountDownLatch(1);
    CountDownLatch paused = files.pauseNext(FaultyFiles.Op.FORCE, resume);
    AtomicInteger submitted = new AtomicInteger();
    var done = test.checkpoint(SESSIONS * MESSAGES_PER_SESSION);
    List<Future<String>> deployed = new ArrayList<>();
    for (int s = 0; s < SESSIONS; s++) {
      deployed.add(vertx.deployVerticle(new AbstractVerticle() {
        @Override
        public void start() {
          Context mine = context;
          for (int m = 0; m < MESSAGES_PER_SESSION; m++) {
            String id = spool.newId();
            byte[] body = ("message " + id + "\r\n").repeat(1 + m).getBytes();
            MessageWriter writer = spool.begin(envelope(id));
            writeFrom(writer, body, 0, new Random(m))
                .compose(v -> {
                  submitted.incrementAndGet(); // commit() hands it to the committer before it returns
                  return writer.commit(envelope(id));
                })
                .onComplete(test.succeeding(stored -> test.verify(() -> {
                  assertSame(mine, Vertx.currentContext(), "commit completed on another context");
                  assertEquals(body.length, stored.size());
                  done.flag();
                })));
          }
        }
      }));
    }
    assertTrue(paused.await(30, TimeUnit.SECONDS), "no fsync started");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (submitted.get() < SESSIONS * MESSAGES_PER_SESSION && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(SESSIONS * MESSAGES_PER_SESSION, submitted.get(), "commits handed to the committer");
    resume.countDown(); // the disk is back: everything queued meanwhile goes out
    assertTrue(test.awaitCompletion(60, TimeUnit.SECONDS));
    if (test.failed()) {
      throw new AssertionError(test.causeOfFailure());
    }
    // The committer counts a batch after handing its completions to the callers' contexts: the last one may
    // be seen completed a moment before it is counted.
    long counted = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (spool.commitStats().commits() < SESSIONS * MESSAGES_PER_SESSION && System.nanoTime() < counted) {
      Thread.sleep(5);
    }
    CommitStats stats = spool.commitStats();
    Logger.getLogger("io.hermod.spool").info("group commit: " + stats);
    assertEquals(SESSIONS * MESSAGES_PER_SESSION, stats.commits());
    int maxBatch = config(dir).maxBatch();
    // The held fsync's own batch, then the rest in full batches: 1 + ceil(199 / 64) = 5 for 200 commits.
    int most = 1 + (SESSIONS * MESSAGES_PER_SESSION - 1 + maxBatch - 1) / maxBatch;
    assertTrue(stats.batches() <= most, "commits queued behind one fsync were not grouped: " + stats);
    assertEquals(maxBatch, stats.largestBatch(), "a full group: " + stats);
    assertEquals(SESSIONS * MESSAGES_PER_SESSION, await(spool.list()).size());
    for (Future<String> id : deployed) {
      await(vertx.undeploy(await(id)));
    }
    await(spool.close());
  }
}
