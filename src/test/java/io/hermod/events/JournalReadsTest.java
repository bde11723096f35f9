package io.hermod.events;

import io.hermod.metrics.HermodMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.hermod.events.FileEventJournalTest.appendAll;
import static io.hermod.events.FileEventJournalTest.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads by seq far behind the tail and by time; appends while the disk is busy or failing; onAppend. */
class JournalReadsTest extends JournalDirTest {


  @Test
  void aReaderFarBehindReadsALargeRangeFromDiskNearItsPosition() {
    JournalLimits limits = new JournalLimits(64L << 20, Duration.ofDays(7), 1 << 20, 10_000);
    FileEventJournal journal = FileEventJournal.open(vertx, dir, limits).await();
    for (int round = 0; round < 30; round++) {
      appendAll(journal, round * 1000 + 1, round * 1000 + 1000);
    }
    long total = journal.bytes();
    journal.close().await();

    // After a restart the old segments have no index yet: the first read into one builds it (one scan).
    FileEventJournal again = FileEventJournal.open(vertx, dir, limits).await();
    assertTrue(total > 2L << 20, "three segments at least: " + total + " bytes");
    long after = 10_000;
    int reads = 0;
    long returned = 0;
    for (List<JournalEntry> some = again.read(after, 200, 64 * 1024).await(); !some.isEmpty();
         some = again.read(after, 200, 64 * 1024).await()) {
      assertTrue(some.size() <= 200);
      assertEquals(after + 1, some.get(0).seq(), "no gap, no repeat");
      assertEquals(event((int) after + 1), some.get(0).event());
      after = some.get(some.size() - 1).seq();
      returned += some.stream().mapToLong(e -> e.event().toBuffer().length() + JournalRecord.HEADER_BYTES).sum();
      reads++;
    }
    assertEquals(30_000, after);
    assertEquals(100, reads);
    // Each read starts where the last one stopped (or at an index entry): the I/O is about what was returned,
    // plus one index scan of each segment touched, plus one 64 KiB chunk per read at most. Reading each time
    // from the start of the segment would scan about half a segment per read (some 50 MB here).
    long scanned = again.bytesScanned();
    long bound = returned + 3L * limits.segmentBytes() + reads * 64L * 1024;
    assertTrue(scanned <= bound, "scanned " + scanned + " bytes to return " + returned + " (bound " + bound
        + "); from each segment's start it would be far more");
    again.close().await();
  }

  @Test
  void seqBeforeFindsTheLastEntryAppendedBeforeATime() {
    JournalRetentionTest.MovableClock clock = new JournalRetentionTest.MovableClock(Instant.parse("2026-12-01T00:00:00Z"));
    Instant t0 = clock.instant();
    // 64 KiB segments of ~100-byte entries: several segments, several index entries in each.
    JournalLimits limits = new JournalLimits(64L << 20, Duration.ofDays(7), 64 * 1024, 10_000);
    FileEventJournal journal = FileEventJournal.open(vertx, dir, limits, clock, HermodMetrics.noop()).await();
    assertEquals(0L, journal.seqBefore(t0).await());
    for (int second = 0; second < 30; second++) {
      appendAll(journal, second * 100 + 1, second * 100 + 100); // seqs 100s+1..100s+100 at t0 + s seconds
      clock.advance(Duration.ofSeconds(1));
    }
    assertEquals(0L, journal.seqBefore(t0).await());
    assertEquals(0L, journal.seqBefore(t0.minusSeconds(60)).await());
    for (int second : new int[] {1, 2, 7, 13, 29}) {
      assertEquals(second * 100L, journal.seqBefore(t0.plusSeconds(second)).await(), "before t0+" + second + "s");
      assertEquals(second * 100L, journal.seqBefore(t0.plusSeconds(second).minusMillis(1)).await());
    }
    assertEquals(3000L, journal.seqBefore(t0.plusSeconds(3600)).await());
    // Replay from a time: read after seqBefore(t).
    long from = journal.seqBefore(t0.plusSeconds(13)).await();
    assertEquals(1301, journal.read(from, 1, 1 << 20).await().get(0).seq());
    journal.close().await();
  }

  @Test
  void appendsBeyondMaxPendingAreRefusedAndCountedWhileTheDiskIsBusy() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    JournalLimits limits = new JournalLimits(64L << 20, Duration.ofDays(7), 1 << 20, 50);
    FileEventJournal journal = FileEventJournal.open(vertx, dir, limits, java.time.Clock.systemUTC(),
        new HermodMetrics(registry)).await();
    // Hold the journal's writer thread, as a disk that does not answer would.
    WorkerExecutor sameThread = vertx.createSharedWorkerExecutor(FileEventJournal.writerPoolName(dir), 1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch holding = new CountDownLatch(1);
    Future<Object> held = sameThread.executeBlocking(() -> {
      holding.countDown();
      return release.await(30, TimeUnit.SECONDS);
    });
    assertTrue(holding.await(10, TimeUnit.SECONDS));
    List<Future<Long>> appends = new ArrayList<>();
    for (int i = 1; i <= 200; i++) {
      appends.add(journal.append(event(i)));
    }
    long refused = appends.stream().filter(Future::failed).count();
    assertEquals(150, refused, "50 wait, the rest is refused at once");
    assertTrue(appends.stream().filter(Future::failed).allMatch(f -> f.cause().getMessage().contains("full")));
    assertEquals(150.0, registry.get("hermod.events.journal.append.failures").tag("reason", "queue_full")
        .counter().count());
    release.countDown();
    held.await();
    List<Long> seqs = new ArrayList<>();
    for (Future<Long> f : appends.subList(0, 50)) {
      seqs.add(f.await());
    }
    assertEquals(50, journal.lastSeq());
    assertEquals(1L, seqs.get(0));
    assertEquals(new JsonObject(event(50).encode()), journal.read(49, 1, 1 << 20).await().get(0).event());
    sameThread.close();
    journal.close().await();
  }

  @Test
  @org.junit.jupiter.api.Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aFailedWriteIsRetriedUntilItSucceedsAndLosesNothing() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    FileEventJournal journal = FileEventJournal.open(vertx, dir, FileEventJournalTest.SMALL,
        java.time.Clock.systemUTC(), new HermodMetrics(registry)).await();
    appendAll(journal, 1, 100); // over 8 KiB: the next write starts a new segment
    // The new segment's name is taken by a directory: creating it fails, as it would on a full or broken disk.
    Path blocker = Files.createDirectory(dir.resolve(Segment.fileName(101)));
    Future<Long> first = journal.append(event(101));
    Future<Long> second = journal.append(event(102));
    io.hermod.testing.Wait.until(() -> registry.find("hermod.events.journal.write.errors").counter() != null
        && registry.get("hermod.events.journal.write.errors").counter().count() >= 2, "two failed writes", 20);
    assertTrue(!first.isComplete() && !second.isComplete(), "the appends wait while the disk fails");
    assertEquals(100, journal.lastSeq());
    Files.delete(blocker); // the disk recovers
    assertEquals(101L, first.await());
    assertEquals(102L, second.await());
    journal.close().await();

    FileEventJournal again = FileEventJournal.open(vertx, dir, FileEventJournalTest.SMALL).await();
    List<JournalEntry> all = FileEventJournalTest.readAll(again, 0, 1000);
    assertEquals(102, all.size());
    assertEquals(event(101), all.get(100).event());
    again.close().await();
  }

  @Test
  void onAppendWakesReadersAtTheTail() throws Exception {
    FileEventJournal journal = FileEventJournal.open(vertx, dir, FileEventJournalTest.SMALL).await();
    Promise<Long> woken = Promise.promise();
    journal.onAppend(() -> woken.tryComplete(journal.lastSeq()));
    journal.append(event(1));
    assertEquals(1L, woken.future().await());
    journal.close().await();
  }
}
