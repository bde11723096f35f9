package io.hermod.spool;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.hermod.spool.SpoolTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class SpoolFailureTest {

  @TempDir
  Path dir;

  /** Bigger than the journal takes: such a message goes through its own files in incoming/ and queue/. */
  static final int BIG = SpoolWriter.JOURNAL_LIMIT + 100_000;
  static final int SMALL = 200_000;

  /** Each step of writing and committing one message, and the fault that hits it. */
  enum Step {
    CREATE_MESSAGE(BIG, FaultyFiles.Op.CREATE, p -> p.toString().endsWith(".msg")),
    WRITE_CHUNK(BIG, FaultyFiles.Op.WRITE, p -> p.toString().endsWith(".msg")),
    FORCE_MESSAGE(BIG, FaultyFiles.Op.FORCE, p -> p.toString().endsWith(".msg")),
    WRITE_ENVELOPE(BIG, FaultyFiles.Op.WRITE, p -> p.toString().endsWith(".env.tmp")),
    FORCE_ENVELOPE(BIG, FaultyFiles.Op.FORCE, p -> p.toString().endsWith(".env.tmp")),
    RENAME_MESSAGE(BIG, FaultyFiles.Op.MOVE, p -> p.toString().endsWith(".msg")),
    RENAME_ENVELOPE(BIG, FaultyFiles.Op.MOVE, p -> p.toString().endsWith(".env.tmp")),
    FSYNC_QUEUE_DIRECTORY(BIG, FaultyFiles.Op.FORCE_DIRECTORY, p -> p.endsWith("queue")),
    CREATE_SEGMENT(SMALL, FaultyFiles.Op.CREATE, p -> p.toString().endsWith(".log")),
    FSYNC_JOURNAL_DIRECTORY(SMALL, FaultyFiles.Op.FORCE_DIRECTORY, p -> p.endsWith("journal")),
    APPEND_RECORD(SMALL, FaultyFiles.Op.WRITE, p -> p.toString().endsWith(".log")),
    FSYNC_SEGMENT(SMALL, FaultyFiles.Op.FORCE, p -> p.toString().endsWith(".log"));

    final int size;
    final FaultyFiles.Op op;
    final Predicate<Path> path;

    Step(int size, FaultyFiles.Op op, Predicate<Path> path) {
      this.size = size;
      this.op = op;
      this.path = path;
    }
  }

  @ParameterizedTest
  @EnumSource(Step.class)
  void diskFullAtAnyStepFailsWithFullAndLeavesNoFile(Step step, Vertx vertx) throws Exception {
    FaultyFiles files = new FaultyFiles();
    FileSpool spool = new FileSpool(vertx, config(dir), files, new QueueIds());
    try {
      await(spool.recover());
      files.failAt(step.op, step.path, FaultyFiles::noSpace);
      SpoolException error = commitFails(vertx, spool, randomBytes(new Random(9), step.size));
      assertEquals(SpoolException.Reason.FULL, error.reason(), error.toString());
      assertNoMessageFiles();
      assertEquals(new Spool.Usage(0, 0), spool.usage());
      // Once the disk has room again the spool works, and the failed message never comes back.
      files.failAt(step.op, p -> false, FaultyFiles::noSpace);
      String id = spool.newId();
      onContext(vertx.getOrCreateContext(), () -> writeAndCommit(spool.begin(envelope(id)), envelope(id),
          "after\r\n".getBytes(), new Random(3)));
    } finally {
      await(spool.close());
    }
    FileSpool reopened = new FileSpool(vertx, config(dir));
    try {
      assertEquals(1L, await(reopened.recover()));
      assertEquals(List.of(), names(dir.resolve("quarantine")));
    } finally {
      await(reopened.close());
    }
  }

  /**
   * A queue/ directory that refuses writes. As root chmod does not stop anything, so there the same
   * failure (EACCES on the rename into queue/) is injected instead.
   */
  @Test
  void readOnlyQueueDirectoryFailsWithIoError(Vertx vertx) throws Exception {
    FaultyFiles files = new FaultyFiles();
    FileSpool spool = new FileSpool(vertx, config(dir), files, new QueueIds());
    Path queue = dir.resolve("queue");
    try {
      await(spool.recover());
      Files.setPosixFilePermissions(queue, PosixFilePermissions.fromString("r-xr-xr-x"));
      if (Files.isWritable(queue)) {
        files.failAt(FaultyFiles.Op.MOVE, p -> true, () -> new AccessDeniedException(queue.toString()));
      }
      SpoolException error = commitFails(vertx, spool, randomBytes(new Random(4), BIG));
      assertEquals(SpoolException.Reason.IO_ERROR, error.reason(), error.toString());
      assertNoMessageFiles();
    } finally {
      Files.setPosixFilePermissions(queue, PosixFilePermissions.fromString("rwxr-xr-x"));
      await(spool.close());
    }
  }

  /** An update of a journal message (an appended record) and of a big one (a renamed file). */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {1, BIG})
  void failedUpdateKeepsTheOldEnvelope(int size, Vertx vertx) throws Exception {
    FaultyFiles files = new FaultyFiles();
    FileSpool spool = new FileSpool(vertx, config(dir), files, new QueueIds());
    try {
      await(spool.recover());
      String id = spool.newId();
      Envelope stored = onContext(vertx.getOrCreateContext(),
          () -> writeAndCommit(spool.begin(envelope(id)), envelope(id), randomBytes(new Random(1), size), new Random(1)));
      files.failAt(FaultyFiles.Op.WRITE, p -> p.toString().endsWith(".env.tmp") || p.toString().endsWith(".log"),
          FaultyFiles::noSpace);
      ExecutionException e = assertThrows(ExecutionException.class, () -> await(spool.update(stored.withHeld(true))));
      assertEquals(SpoolException.Reason.FULL, ((SpoolException) e.getCause()).reason());
      assertEquals(stored, await(spool.load(id)));
      assertEquals(List.of(), names(dir.resolve("incoming")));
    } finally {
      await(spool.close());
    }
  }

  private static SpoolException commitFails(Vertx vertx, Spool spool, byte[] body) throws Exception {
    Context context = vertx.getOrCreateContext();
    String id = spool.newId();
    ExecutionException e = assertThrows(ExecutionException.class, () -> onContext(context, () -> {
      MessageWriter writer = spool.begin(envelope(id));
      // Ignore write failures: the commit must report them, as a session does not look at every write.
      return writeFrom(writer, body, 0, new Random(2)).recover(err -> io.vertx.core.Future.succeededFuture())
          .compose(v -> writer.commit(envelope(id)));
    }));
    return assertInstanceOf(SpoolException.class, e.getCause());
  }

  /** No message file, and no journal segment holding any byte (a failed append is cut back off). */
  private void assertNoMessageFiles() throws IOException {
    assertEquals(List.of(), names(dir.resolve("queue")));
    assertEquals(List.of(), names(dir.resolve("incoming")));
    for (String segment : names(dir.resolve("journal"))) {
      assertEquals(0, Files.size(dir.resolve("journal").resolve(segment)), segment);
    }
  }
}
