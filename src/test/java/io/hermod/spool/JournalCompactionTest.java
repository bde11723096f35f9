package io.hermod.spool;

import io.hermod.config.SpoolConfig;
import io.hermod.testing.RecoveredEnvelopes;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.hermod.spool.SpoolObserverTest.all;
import static io.hermod.spool.SpoolTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** Tiny segments (16 KiB, a few dozen records each), so that a few hundred messages make many segments. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class JournalCompactionTest {

  private static final long SEGMENT = 16 * 1024;
  private static final int MESSAGES = 400;

  @TempDir
  Path dir;

  private final Map<String, Envelope> expected = new TreeMap<>();
  /** How long a compacted segment stays (FileSpool's grace): none, except where a test says otherwise. */
  private long graceNanos;
  /** When set, the byte ranges of the messages that will stay, taken right after their commit. */
  private Map<String, Spool.Content> rangesAtCommit;

  /**
   * Three in four messages delivered (removed), the rest deferred three times: every segment of the
   * original commits is mostly dead, so compaction copies its live messages forward and the segment goes;
   * a restart recovers every message with its newest envelope.
   */
  @Test
  void sparseSegmentsAreReclaimedAndARestartRecoversEveryMessage(Vertx vertx) throws Exception {
    FileSpool spool = open(vertx, new RealSpoolFiles(), 50);
    List<String> original = deliverMostAndDeferTheRest(vertx, spool);
    waitFor(() -> journal().stream().noneMatch(original::contains),
        () -> "original segments still there: " + journal() + " of " + original);
    assertTrue(spool.compactedMessages() > 0);
    await(spool.close());
    assertRecoversExactlyTheExpected(vertx);
  }

  /**
   * A message's byte range taken before compaction moved it (a delivery under way) still reads the same bytes
   * after the copy: the old segment stays for its grace. Without it the delivery failed with "Unable to open
   * file" and the message was deferred.
   */
  @Test
  void aRangeTakenBeforeTheCopyStillReadsAfterIt(Vertx vertx) throws Exception {
    graceNanos = java.util.concurrent.TimeUnit.HOURS.toNanos(1);
    FileSpool spool = open(vertx, new RealSpoolFiles(), 50);
    rangesAtCommit = new TreeMap<>();
    Map<String, Spool.Content> before = rangesAtCommit;
    deliverMostAndDeferTheRest(vertx, spool);
    waitFor(() -> spool.compactedMessages() > 0, () -> "nothing compacted");
    int moved = 0;
    for (Map.Entry<String, Spool.Content> e : before.entrySet()) {
      Spool.Content now = await(spool.content(e.getKey()));
      if (!now.file().equals(e.getValue().file())) {
        moved++;
        assertTrue(java.util.Arrays.equals(read(now), read(e.getValue())), "the old range of " + e.getKey()
            + " reads the same bytes as the copy");
      }
    }
    assertTrue(moved > 0, "no message moved");
    // The old ranges were read above from their segments: a compacted segment stays for its grace (a segment
    // whose messages were all removed goes at once, as before: nothing can be reading it).
    await(spool.close());
  }

  private static byte[] read(Spool.Content c) throws java.io.IOException {
    byte[] all = java.nio.file.Files.readAllBytes(c.file());
    return java.util.Arrays.copyOfRange(all, (int) c.offset(), (int) (c.offset() + c.length()));
  }

  /**
   * A compaction cut short: its segment fsync fails (the copies are cut back off, the old records stand), then
   * old segments cannot be deleted (copies durable, originals still there, as after a crash between the
   * two). Messages are removed and updated after being copied. A restart takes the newest MESSAGE record
   * of each id, and a removed message does not come back from its older copy.
   */
  @Test
  void aCompactionCutShortLosesNothingAndBringsNothingBack(Vertx vertx) throws Exception {
    FaultyFiles files = new FaultyFiles();
    files.failAt(FaultyFiles.Op.DELETE, p -> p.toString().endsWith(".log"), FaultyFiles::ioError);
    FileSpool spool = open(vertx, files, 50);
    List<String> original = deliverMostAndDeferTheRest(vertx, spool);
    // Not every kept message is copied: one whose record shares a segment with many live update records (the
    // last commits') is in a segment that is not sparse, and where the commits' batches end varies from run to
    // run. So: many copies, then no new ones for a while (compaction has gone through what it can).
    waitFor(() -> spool.compactedMessages() >= MESSAGES / 8, () -> "copied " + spool.compactedMessages());
    settled(spool::compactedMessages);
    files.failAt(java.util.Set.of(FaultyFiles.Op.FORCE, FaultyFiles.Op.DELETE), p -> p.toString().endsWith(".log"),
        FaultyFiles::ioError);
    Context context = vertx.getOrCreateContext();
    List<Envelope> live = new ArrayList<>(expected.values());
    // An update first: its failed fsync closes the active segment, so each removal after it starts a new one
    // without an fsync of the old. (A removal that had to roll a segment holding unsynced records would need
    // that segment's fsync, which fails here: the removal would fail, as it should.)
    for (int i = 0; i < live.size(); i++) {
      Envelope e = live.get(i);
      if (i % 2 == 1) {
        // A removal needs no fsync of its own (spool.removalSyncMillis): it is written and done; the fsync
        // that fails later only leaves it to a power failure.
        await(spool.remove(e.id()));
      } else {
        Future<Void> change = spool.update(e.withHeld(true));
        assertThrows(Exception.class, () -> onContext(context, () -> change));
      }
    }
    files.failAt(FaultyFiles.Op.DELETE, p -> p.toString().endsWith(".log"), FaultyFiles::ioError);
    for (int i = 0; i < live.size(); i++) {
      Envelope e = live.get(i);
      if (i % 2 == 1) {
        expected.remove(e.id());
        await(spool.remove(e.id()));
      } else {
        expected.put(e.id(), e.withHeld(true));
        onContext(context, () -> spool.update(e.withHeld(true)));
      }
    }
    assertTrue(journal().containsAll(original), () -> "the originals stay while deletion fails: " + journal() + " of " + original);
    await(spool.close());
    assertRecoversExactlyTheExpected(vertx);
  }

  private FileSpool open(Vertx vertx, SpoolFiles files, int percent) throws Exception {
    FileSpool spool = new FileSpool(vertx, new SpoolConfig(dir.toString(), 2, 64, 0, 0, 0, percent), files,
        new QueueIds(), SEGMENT, graceNanos);
    await(spool.recover());
    return spool;
  }

  /** @return the segments that held the original commits */
  private List<String> deliverMostAndDeferTheRest(Vertx vertx, FileSpool spool) throws Exception {
    Context context = vertx.getOrCreateContext();
    List<Envelope> stored = all(context, MESSAGES, i -> {
      String id = spool.newId();
      return writeAndCommit(spool.begin(envelope(id)), envelope(id), randomBytes(new Random(i), 300), new Random(i));
    });
    List<String> original = names(dir.resolve("journal"));
    if (rangesAtCommit != null) { // before any removal: nothing is sparse yet, so nothing has moved
      for (int i = 0; i < stored.size(); i += 4) {
        rangesAtCommit.put(stored.get(i).id(), await(spool.content(stored.get(i).id())));
      }
    }
    List<Envelope> kept = new ArrayList<>();
    for (int i = 0; i < stored.size(); i++) {
      if (i % 4 == 0) {
        kept.add(stored.get(i));
      } else {
        await(spool.remove(stored.get(i).id()));
      }
    }
    for (int round = 1; round <= 3; round++) {
      for (int i = 0; i < kept.size(); i++) {
        Envelope deferred = kept.get(i).withNextAttempt(kept.get(i).arrival().plusSeconds(600L * round));
        kept.set(i, deferred);
        onContext(context, () -> spool.update(deferred));
      }
    }
    kept.forEach(e -> expected.put(e.id(), e));
    return original;
  }

  private void assertRecoversExactlyTheExpected(Vertx vertx) throws Exception {
    FileSpool restarted = new FileSpool(vertx, new SpoolConfig(dir.toString(), 2, 64, 0, 0, 0, 0),
        new RealSpoolFiles(), new QueueIds(), SEGMENT);
    try {
      assertEquals(List.copyOf(expected.values()), await(RecoveredEnvelopes.recover(restarted)));
      for (Envelope e : expected.values()) {
        assertEquals(300, await(restarted.content(e.id())).length());
      }
      assertEquals(List.of(), names(dir.resolve("quarantine")));
    } finally {
      await(restarted.close());
    }
  }

  private List<String> journal() {
    try {
      return names(dir.resolve("journal"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Waits, up to 10 s, until {@code count} stays the same for 200 ms. */
  private static void settled(java.util.function.LongSupplier count) throws Exception {
    long last = -1;
    for (int i = 0; i < 50 && count.getAsLong() != last; i++) {
      last = count.getAsLong();
      Thread.sleep(200);
    }
  }

  /** Compaction runs in the background: wait for its effect, bounded. */
  private static void waitFor(BooleanSupplier condition, java.util.function.Supplier<String> message) throws Exception {
    for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
      Thread.sleep(20);
    }
    assertTrue(condition.getAsBoolean(), message);
  }
}
