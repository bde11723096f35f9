package io.hermod.events;

import io.hermod.metrics.HermodMetrics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The journal on real files with fsync: order, restarts, torn tails, the index. */
class FileEventJournalTest extends JournalDirTest {

  static final JournalLimits SMALL = new JournalLimits(1 << 20, Duration.ofDays(7), 8192, 10_000);


  static JsonObject event(int i) {
    return new JsonObject().put("queueId", "Q" + i).put("recipient", "r" + i + "@example.org")
        .put("outcome", "delivered");
  }

  /** Appends {@code from..to} all at once (concurrent appends: they share fsyncs) and returns their seqs. */
  static List<Long> appendAll(EventJournal journal, int from, int to) {
    List<Future<Long>> all = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      all.add(journal.append(event(i)));
    }
    Future.all(all).await();
    return all.stream().map(Future::result).toList();
  }

  /** Reads everything after {@code after}, in reads of at most {@code batch} entries. */
  static List<JournalEntry> readAll(EventJournal journal, long after, int batch) {
    List<JournalEntry> all = new ArrayList<>();
    while (true) {
      List<JournalEntry> some = journal.read(after, batch, 1 << 20).await();
      if (some.isEmpty()) {
        return all;
      }
      all.addAll(some);
      after = some.get(some.size() - 1).seq();
    }
  }

  FileEventJournal open() {
    return FileEventJournal.open(vertx, dir, SMALL).await();
  }

  /**
   * events.journal.commitDelayMillis: a batch's first append waits for others (here far longer than the test), so
   * none of a trickle of appends is written before the close; the close writes them at once, even though the
   * verticle that appended (whose context a timer set there would have belonged to) is gone by then.
   */
  @Test
  void aCommitDelayHoldsATrickleUntilOneWriteAndACloseWritesItAtOnce() throws Exception {
    JournalLimits delayed = new JournalLimits(1 << 20, Duration.ofDays(7), 8192, 10_000, Duration.ofSeconds(30));
    FileEventJournal journal = FileEventJournal.open(vertx, dir, delayed).await();
    List<Future<Long>> appended = new java.util.concurrent.CopyOnWriteArrayList<>();
    String verticle = vertx.deployVerticle(new io.vertx.core.AbstractVerticle() {
      @Override
      public void start() {
        for (int i = 1; i <= 20; i++) {
          appended.add(journal.append(event(i)));
        }
      }
    }).await();
    vertx.undeploy(verticle).await();
    assertEquals(20, appended.size());
    assertTrue(appended.stream().noneMatch(Future::isComplete), "an append was written before its commit delay");
    journal.close().await();
    assertEquals(java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList(),
        appended.stream().map(Future::result).toList());
    FileEventJournal reopened = open();
    assertEquals(20, readAll(reopened, 0, 100).size());
    reopened.close().await();
  }

  @Test
  void appendsGetConsecutiveSeqsAndReadBackInOrder() {
    FileEventJournal journal = open();
    assertEquals(0, journal.lastSeq());
    assertEquals(1, journal.firstSeq());
    assertEquals(List.of(), journal.read(0, 10, 1000).await());
    List<Long> seqs = new ArrayList<>();
    for (int round = 0; round < 10; round++) {
      seqs.addAll(appendAll(journal, round * 50 + 1, round * 50 + 50));
    }
    assertEquals(500, seqs.stream().distinct().count());
    assertEquals(500, journal.lastSeq());
    List<JournalEntry> read = readAll(journal, 0, 37);
    assertEquals(500, read.size());
    for (int i = 0; i < 500; i++) {
      assertEquals(i + 1, read.get(i).seq());
    }
    // Appends from one caller keep their order: entry i's seq is i's.
    for (int i = 0; i < 500; i++) {
      assertEquals(event(i + 1), journal.read(seqs.get(i) - 1, 1, 1).await().get(0).event());
    }
    assertTrue(segments().size() > 1, "8 KiB segments rolled: " + segments());
    journal.close().await();
  }

  @Test
  void readStopsAtMaxEntriesAndMaxBytesButReturnsAtLeastOne() {
    FileEventJournal journal = open();
    appendAll(journal, 1, 20);
    assertEquals(5, journal.read(0, 5, 1 << 20).await().size());
    assertEquals(1, journal.read(3, 100, 1).await().size(), "one entry even when it is larger than maxBytes");
    int one = event(1).toBuffer().length();
    assertEquals(3, journal.read(0, 100, 3 * one + 2).await().size());
    assertEquals(List.of(), journal.read(20, 100, 1000).await());
    journal.close().await();
  }

  @Test
  void aRestartKeepsTheEntriesAndContinuesTheSeqs() {
    FileEventJournal journal = open();
    appendAll(journal, 1, 300);
    journal.close().await();

    FileEventJournal again = open();
    assertEquals(300, again.lastSeq());
    assertEquals(301L, again.append(event(301)).await());
    List<JournalEntry> read = readAll(again, 0, 100);
    assertEquals(301, read.size());
    assertEquals(event(1), read.get(0).event());
    assertEquals(event(301), read.get(300).event());
    again.close().await();
  }

  /** What a crash can leave at the end of the newest segment, and how many of 10 entries stay whole. */
  enum Damage {
    /** The last write stopped part way: entry 10 is short. */
    TORN_LAST_ENTRY(9),
    /** The last entry's bytes are half old, half new: its checksum fails. */
    FLIPPED_BYTE_IN_LAST_ENTRY(9),
    /** The file grew but its new blocks were never written: zeros after entry 10. */
    ZEROS_AFTER_THE_LAST_ENTRY(10),
    /** A torn header: two bytes of an eleventh entry. */
    TWO_BYTES_AFTER_THE_LAST_ENTRY(10);

    final int kept;

    Damage(int kept) {
      this.kept = kept;
    }

    void apply(Path segment) throws java.io.IOException {
      byte[] bytes = Files.readAllBytes(segment);
      switch (this) {
        case TORN_LAST_ENTRY -> bytes = java.util.Arrays.copyOf(bytes, bytes.length - 5);
        case FLIPPED_BYTE_IN_LAST_ENTRY -> bytes[bytes.length - 3] ^= 0x55;
        case ZEROS_AFTER_THE_LAST_ENTRY -> bytes = java.util.Arrays.copyOf(bytes, bytes.length + 4096);
        case TWO_BYTES_AFTER_THE_LAST_ENTRY -> bytes = java.util.Arrays.copyOf(bytes, bytes.length + 2);
      }
      Files.write(segment, bytes);
    }
  }

  @ParameterizedTest
  @EnumSource(Damage.class)
  void aDamagedTailIsCutAtOpenAndAppendsContinueAfterTheLastWholeEntry(Damage damage) throws Exception {
    FileEventJournal journal = open();
    appendAll(journal, 1, 10);
    journal.close().await();
    damage.apply(lastSegment());

    FileEventJournal again = open();
    assertEquals(damage.kept, again.lastSeq());
    assertEquals(damage.kept + 1L, again.append(event(100)).await());
    assertEquals(damage.kept + 2L, again.append(event(101)).await());
    List<JournalEntry> read = readAll(again, 0, 100);
    assertEquals(damage.kept + 2, read.size());
    assertEquals(event(damage.kept), read.get(damage.kept - 1).event());
    assertEquals(event(100), read.get(damage.kept).event());
    again.close().await();
    assertEquals(damage.kept + 2, readAll(open(), 0, 100).size(), "the cut was made durable, and what followed");
  }

  @Test
  void anEventOverOneMebibyteIsRefusedAndTheJournalGoesOn() {
    FileEventJournal journal = open();
    appendAll(journal, 1, 2);
    Future<Long> huge = journal.append(new JsonObject().put("text", "x".repeat(JournalRecord.MAX_PAYLOAD_BYTES)));
    assertTrue(huge.failed() && huge.cause().getMessage().contains("bytes"), String.valueOf(huge.cause()));
    assertEquals(3L, journal.append(event(3)).await());
    journal.close().await();
    assertEquals(3, readAll(open(), 0, 10).size(), "nothing after the refusal was taken for damage");
  }

  @Test
  void aCloseWritesEveryAppendAlreadyMade() {
    FileEventJournal journal = open();
    List<Future<Long>> appends = new ArrayList<>();
    for (int i = 1; i <= 2000; i++) {
      appends.add(journal.append(event(i)));
    }
    journal.close().await();
    for (int i = 0; i < appends.size(); i++) {
      assertEquals(i + 1L, appends.get(i).await(), "every append made before close() is written");
    }
    FileEventJournal again = open();
    assertEquals(2000, again.lastSeq());
    assertEquals(2000, readAll(again, 0, 500).size());
    again.close().await();
    assertTrue(again.append(event(2)).failed(), "a closed journal refuses appends");
  }


  static HermodMetrics metrics() {
    return HermodMetrics.noop();
  }
}
