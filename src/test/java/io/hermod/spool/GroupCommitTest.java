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
import java.util.concurrent.TimeUnit;
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

  /** Four verticles (four contexts) commit 50 messages each, all at once. */
  @Test
  void concurrentCommitsShareFsyncsAndCompleteOnTheCallersContext(Vertx vertx, VertxTestContext test)
      throws Exception {
    FileSpool spool = new FileSpool(vertx, config(dir));
    await(spool.recover());
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
            writeAndCommit(spool.begin(envelope(id)), envelope(id), body, new Random(m))
                .onComplete(test.succeeding(stored -> test.verify(() -> {
                  assertSame(mine, Vertx.currentContext(), "commit completed on another context");
                  assertEquals(body.length, stored.size());
                  done.flag();
                })));
          }
        }
      }));
    }
    assertTrue(test.awaitCompletion(60, TimeUnit.SECONDS));
    if (test.failed()) {
      throw new AssertionError(test.causeOfFailure());
    }
    CommitStats stats = spool.commitStats();
    Logger.getLogger("io.hermod.spool").info("group commit: " + stats);
    assertEquals(SESSIONS * MESSAGES_PER_SESSION, stats.commits());
    assertTrue(stats.batches() < stats.commits(), "no fsync was shared: " + stats);
    assertEquals(SESSIONS * MESSAGES_PER_SESSION, await(spool.list()).size());
    for (Future<String> id : deployed) {
      await(vertx.undeploy(await(id)));
    }
    await(spool.close());
  }
}
