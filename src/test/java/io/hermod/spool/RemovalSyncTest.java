package io.hermod.spool;

import io.hermod.config.SpoolConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.hermod.spool.SpoolTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * "spool.removalSyncMillis": a removal's tombstone is written (and the removal done) at once, and rides on the
 * next commit's fsync or takes one of its own once the window is over, so a message costs one fsync, not two
 * (issue #17).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class RemovalSyncTest {

  private static final int LONG_WINDOW = 10_000;

  @TempDir
  Path dir;

  private static SpoolConfig withWindow(Path dir, int millis) {
    return new SpoolConfig(dir.toString(), 2, 64, 0, 0, 0, SpoolConfig.DEFAULT_COMPACT_BELOW_LIVE_PERCENT, millis);
  }

  private static String commit(FileSpool spool, String text) throws Exception {
    String id = spool.newId();
    await(writeAndCommit(spool.begin(envelope(id)), envelope(id), text.getBytes(), new Random(1)));
    return id;
  }

  private FileSpool opened(Vertx vertx, FaultyFiles files, int window) throws Exception {
    FileSpool spool = files.spool(vertx, withWindow(dir, window));
    await(spool.recover());
    return spool;
  }

  @Test
  void aRemovalRidesOnTheNextCommitsFsync(Vertx vertx) throws Exception {
    FaultyFiles files = new FaultyFiles();
    FileSpool spool = opened(vertx, files, LONG_WINDOW);
    String delivered = commit(spool, "first\r\n");
    int before = files.forces();
    await(spool.remove(delivered));
    assertEquals(List.of(), await(spool.list()), "the removal is done at once");
    Thread.sleep(300); // far below the window: nothing may fsync the tombstone on its own
    assertEquals(before, files.forces(), "a removal alone took an fsync of its own inside its window");
    String next = commit(spool, "second\r\n");
    assertEquals(before + 1, files.forces(), "the commit and the removal did not share one fsync");
    assertEquals(List.of(next), await(spool.list()));
    await(spool.close());
  }

  @Test
  void aRemovalAloneIsFsyncedOnceItsWindowIsOver(Vertx vertx) throws Exception {
    aRemovalAloneGetsOneFsync(vertx, 50);
    FileSpool again = new FaultyFiles().spool(vertx, withWindow(dir, 50));
    assertEquals(0L, await(again.recover()));
    await(again.close());
  }

  @Test
  void withoutAWindowARemovalAloneGetsItsOwnFsync(Vertx vertx) throws Exception {
    aRemovalAloneGetsOneFsync(vertx, 0);
  }

  /** A message committed, then removed with no other commit after it: exactly one fsync follows the removal. */
  private void aRemovalAloneGetsOneFsync(Vertx vertx, int window) throws Exception {
    FaultyFiles files = new FaultyFiles();
    FileSpool spool = opened(vertx, files, window);
    String id = commit(spool, "only\r\n");
    int before = files.forces();
    await(spool.remove(id));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (files.forces() == before && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(before + 1, files.forces(), "the removal ended without its fsync");
    assertEquals(List.of(), await(spool.list()));
    await(spool.close());
  }

  @Test
  void aCloseMakesWaitingRemovalsDurable(Vertx vertx) throws Exception {
    FaultyFiles files = new FaultyFiles();
    FileSpool spool = opened(vertx, files, LONG_WINDOW);
    String gone = commit(spool, "gone\r\n");
    String kept = commit(spool, "kept\r\n");
    await(spool.remove(gone));
    int before = files.forces();
    await(spool.close());
    assertEquals(before + 1, files.forces(), "the close did not fsync the waiting removal");
    FileSpool again = new FaultyFiles().spool(vertx, withWindow(dir, LONG_WINDOW));
    assertEquals(1L, await(again.recover()));
    assertEquals(List.of(kept), await(again.list()));
    await(again.close());
  }

  /**
   * The tombstone is in the file as soon as it is written, before any fsync: a process crash (the page cache
   * survives it) keeps the removal. The "crash" is a copy of the spool directory taken while the first spool
   * still runs with the removal unsynced; recovery of the copy must not bring the message back.
   */
  @Test
  void anUnsyncedRemovalSurvivesAProcessCrash(Vertx vertx, @TempDir Path copy) throws Exception {
    FaultyFiles files = new FaultyFiles();
    FileSpool spool = opened(vertx, files, LONG_WINDOW);
    String gone = commit(spool, "gone\r\n");
    String kept = commit(spool, "kept\r\n");
    int forces = files.forces();
    await(spool.remove(gone));
    assertEquals(forces, files.forces(), "the removal was fsynced: this test needs it unsynced");
    copyTree(dir, copy);
    FileSpool crashed = new FaultyFiles().spool(vertx, withWindow(copy, LONG_WINDOW));
    assertEquals(1L, await(crashed.recover()));
    assertEquals(List.of(kept), await(crashed.list()));
    await(crashed.close());
    await(spool.close());
  }

  /**
   * Compaction copies live messages forward while removals wait unsynced: a copy written after a message's
   * tombstone would bring the message back. Tiny segments, most messages removed in waves (each wave's
   * tombstones written while compaction runs), the rest kept: the spool and its recovery hold exactly the rest.
   */
  @Test
  void compactionNeverBringsBackAMessageWhoseRemovalWaits(Vertx vertx) throws Exception {
    // The race is timing-dependent (a copy taken between a tombstone's write and its fsync): three rounds.
    for (int round = 0; round < 3; round++) {
      removeInWavesWhileCompacting(vertx, Files.createDirectory(dir.resolve("round" + round)));
    }
  }

  private void removeInWavesWhileCompacting(Vertx vertx, Path dir) throws Exception {
    SpoolConfig config = withWindow(dir, LONG_WINDOW);
    FileSpool spool = new FileSpool(vertx, config, new RealSpoolFiles(), new QueueIds(), 16 * 1024);
    await(spool.recover());
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 300; i++) {
      ids.add(commit(spool, ("message " + i + "\r\n").repeat(40)));
    }
    java.util.Set<String> kept = new java.util.TreeSet<>();
    for (int wave = 0; wave < 3; wave++) {
      List<Future<Void>> removals = new java.util.ArrayList<>();
      for (int i = wave; i < ids.size(); i += 3) {
        if (i % 10 == 9) {
          kept.add(ids.get(i)); // a few stay live in every segment: compaction must copy them forward
          continue;
        }
        removals.add(spool.remove(ids.get(i)));
      }
      kept.add(commit(spool, "wave " + wave + "\r\n")); // its fsync makes this wave's tombstones durable
      for (Future<Void> r : removals) {
        await(r);
      }
    }
    assertEquals(kept, new java.util.TreeSet<>(await(spool.list())));
    await(spool.close());
    FileSpool again = new FileSpool(vertx, config, new RealSpoolFiles(), new QueueIds(), 16 * 1024);
    await(again.recover());
    assertEquals(kept, new java.util.TreeSet<>(await(again.list())));
    await(again.close());
  }

  private static long journalBytes(Path spoolDir) throws Exception {
    try (var files = Files.list(spoolDir.resolve("journal"))) {
      long total = 0;
      for (Path p : files.toList()) {
        total += Files.size(p);
      }
      return total;
    }
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (var all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().endsWith(".lock")) {
          Files.copy(p, target);
        }
      }
    }
  }
}
