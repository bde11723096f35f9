package io.hermod.events;

import io.hermod.metrics.HermodMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static io.hermod.events.FileEventJournalTest.appendAll;
import static io.hermod.events.FileEventJournalTest.event;
import static io.hermod.events.FileEventJournalTest.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retention drops whole old segments by size and by age; readers behind skip them; seqs go on. */
class JournalRetentionTest extends JournalDirTest {

  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));

  /** A clock a test moves forward (entries are stamped with it; age retention reads it). */
  static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant start) {
      now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  FileEventJournal open(JournalLimits limits) {
    return FileEventJournal.open(vertx, dir, limits, clock, new HermodMetrics(registry)).await();
  }

  double retired() {
    return registry.get("hermod.events.journal.retired").counter().count();
  }

  @Test
  void sizeRetentionDropsTheOldestSegmentsAndReadersBehindSkipThem() {
    JournalLimits limits = new JournalLimits(16 * 1024, Duration.ofDays(7), 4096, 10_000);
    FileEventJournal journal = open(limits);
    for (int round = 0; round < 50; round++) {
      appendAll(journal, round * 20 + 1, round * 20 + 20);
    }
    journal.retain().await();
    assertEquals(1000, journal.lastSeq());
    long first = journal.firstSeq();
    assertTrue(first > 1, "old entries were dropped: first seq " + first);
    assertTrue(journal.bytes() <= limits.maxBytes(), journal.bytes() + " bytes on disk");
    assertEquals(first - 1, (long) retired(), "every dropped entry is counted");
    assertEquals(journal.bytes(), segments().stream().mapToLong(JournalDirTest::size).sum());

    // A cursor at 5 reads on from the oldest kept entry: the gap says how many it lost.
    List<JournalEntry> next = journal.read(5, 3, 1 << 20).await();
    assertEquals(first, next.get(0).seq());
    assertEquals(event((int) first), next.get(0).event());
    assertEquals(1000 - first + 1, readAll(journal, 0, 64).size());
    journal.close().await();
  }

  @Test
  void ageRetentionDropsSegmentsWhoseNewestEntryIsTooOldAndTheSeqsNeverRestart() throws Exception {
    JournalLimits limits = new JournalLimits(1 << 20, Duration.ofHours(2), 4096, 10_000);
    FileEventJournal journal = open(limits);
    for (int round = 0; round < 10; round++) {
      appendAll(journal, round * 20 + 1, round * 20 + 20);
    }
    clock.advance(Duration.ofMinutes(90));
    appendAll(journal, 201, 210); // newer: rolls the old active segment (its first entry is over an hour old)
    journal.close().await();
    // After a restart the journal knows an old segment's newest time from its file's last change (here: when
    // the test clock says it was written) and from the next segment's first entry.
    for (Path p : segments().subList(0, segments().size() - 1)) {
      Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.from(clock.instant().minus(Duration.ofMinutes(90))));
    }
    journal = open(limits);
    clock.advance(Duration.ofMinutes(40)); // the first 200 are 130 min old, the last 10 are 40 min old
    journal.retain().await();
    assertEquals(201, journal.firstSeq());
    assertEquals(200, (long) retired());
    assertEquals(10, readAll(journal, 0, 100).size());

    clock.advance(Duration.ofHours(3)); // everything is too old now: the active segment is closed and dropped
    journal.retain().await();
    assertEquals(210, journal.lastSeq());
    assertEquals(211, journal.firstSeq(), "none kept: firstSeq is lastSeq + 1");
    assertEquals(List.of(), journal.read(0, 10, 1000).await());
    assertEquals(1, segments().size(), "an empty segment named by the next seq remains: " + segments());
    journal.close().await();

    FileEventJournal again = open(limits);
    assertEquals(210, again.lastSeq(), "the next seq was persisted by the empty segment's name");
    assertEquals(211L, again.append(event(211)).await());
    assertEquals(211, again.read(0, 10, 1000).await().get(0).seq());
    again.close().await();
  }

  @Test
  void retentionRunsByItselfWhenACommitFindsTheJournalTooLarge() {
    FileEventJournal journal = open(new JournalLimits(16 * 1024, Duration.ofDays(7), 4096, 10_000));
    for (int round = 0; round < 50; round++) {
      appendAll(journal, round * 20 + 1, round * 20 + 20);
    }
    // No retain() call: the commits triggered it. Let its last run finish (it is queued on the writer thread).
    appendAll(journal, 1001, 1001);
    journal.close().await();
    assertTrue(retired() > 0, "retention ran after commits");
    assertTrue(segments().stream().mapToLong(JournalDirTest::size).sum() <= 16 * 1024 + 4096 + 2600,
        "the journal stays within maxBytes plus the segment being written and a batch: " + segments());
  }


}
