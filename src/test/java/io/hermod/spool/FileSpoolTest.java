package io.hermod.spool;

import io.hermod.testing.RecoveredEnvelopes;
import io.hermod.config.SpoolConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.hermod.spool.SpoolTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class FileSpoolTest {

  @TempDir
  Path dir;

  private FileSpool spool;

  private FileSpool open(Vertx vertx, SpoolConfig config) throws Exception {
    if (spool != null) {
      await(spool.close());
    }
    spool = new FileSpool(vertx, config);
    await(spool.recover());
    return spool;
  }

  @AfterEach
  void close() throws Exception {
    if (spool != null) {
      await(spool.close());
    }
  }

  @Test
  void roundTripIsByteIdenticalAcrossRestartForSmallAndLargeMessages(Vertx vertx) throws Exception {
    Random random = new Random(42);
    open(vertx, config(dir));
    Context context = vertx.getOrCreateContext();
    byte[] small = "Subject: hi\r\n\r\nhello\r\n".getBytes();
    byte[] large = randomBytes(random, 5 * 1024 * 1024 + 12_345);
    String smallId = spool.newId();
    String largeId = spool.newId();
    Envelope smallStored = onContext(context,
        () -> writeAndCommit(spool.begin(envelope(smallId)), envelope(smallId), small, random));
    Envelope largeStored = onContext(context,
        () -> writeAndCommit(spool.begin(envelope(largeId)), envelope(largeId), large, random));
    assertEquals(small.length, smallStored.size());
    assertEquals(large.length, largeStored.size());
    assertEquals(new Spool.Usage(2, small.length + large.length), spool.usage());

    open(vertx, config(dir)); // a new spool on the same directory, as after a restart
    List<Envelope> recovered = await(RecoveredEnvelopes.recover(spool));
    assertEquals(List.of(smallStored, largeStored).stream().sorted((a, b) -> a.id().compareTo(b.id())).toList(),
        recovered);
    assertEquals(sha256(small), sha256(await(spool.content(smallId))));
    assertEquals(sha256(large), sha256(await(spool.content(largeId))));
    assertEquals(new Spool.Usage(2, small.length + large.length), spool.usage());
    assertEquals(List.of(), names(dir.resolve("incoming")));
  }

  @Test
  void envelopeIsOneReadableJsonLineInTheJournalAndInAFile(Vertx vertx) throws Exception {
    open(vertx, config(dir));
    Context context = vertx.getOrCreateContext();
    String small = spool.newId();
    String big = spool.newId();
    onContext(context, () -> writeAndCommit(spool.begin(envelope(small)), envelope(small), "x".getBytes(),
        new Random(1)));
    onContext(context, () -> writeAndCommit(spool.begin(envelope(big)), envelope(big),
        randomBytes(new Random(2), SpoolWriter.JOURNAL_LIMIT + 1), new Random(1)));
    // Small: header line, envelope line, message bytes, in the journal segment; nothing in queue/.
    List<String> segments = names(dir.resolve("journal"));
    assertEquals(1, segments.size(), segments.toString());
    String journal = java.nio.file.Files.readString(dir.resolve("journal").resolve(segments.get(0)),
        java.nio.charset.StandardCharsets.ISO_8859_1);
    String[] lines = journal.split("\n", 3);
    assertTrue(lines[0].matches("#HJ M [0-9a-f]{8} 00000001 [0-9a-f]{8} [0-9a-f]{8}"), lines[0]);
    assertTrue(lines[1].startsWith("{\"version\":1,\"id\":\"" + small + "\"") && lines[1].endsWith("}"), lines[1]);
    assertTrue(lines[1].contains("\"sender\":\"sender@example.test\""), lines[1]);
    assertEquals("x", lines[2]);
    // Big: its own envelope file.
    String text = java.nio.file.Files.readString(dir.resolve("queue").resolve(big + ".env"));
    assertTrue(text.endsWith("}\n") && text.indexOf('\n') == text.length() - 1, text);
    assertTrue(text.contains("\"sender\":\"sender@example.test\""), text);
  }

  @Test
  void abortLeavesNothing(Vertx vertx) throws Exception {
    open(vertx, config(dir));
    Context context = vertx.getOrCreateContext();
    String id = spool.newId();
    byte[] data = randomBytes(new Random(7), 300_000);
    MessageWriter writer = onContext(context, () -> {
      MessageWriter w = spool.begin(envelope(id));
      return writeFrom(w, data, 0, new Random(8)).map(v -> w);
    });
    // Abort, then prove the cleanup ran: a commit after abort is refused, and nothing is left on disk.
    Throwable refused = assertThrows(Exception.class, () -> onContext(context, () -> {
      writer.abort();
      writer.abort(); // idempotent
      return writer.commit(envelope(id));
    }));
    assertInstanceOf(IllegalStateException.class, refused.getCause());
    assertEquals(List.of(), await(spool.list()));
    waitUntilEmpty(dir.resolve("incoming"));
    assertEquals(List.of(), names(dir.resolve("queue")));
    assertEquals(new Spool.Usage(0, 0), spool.usage());
  }

  @Test
  void updateIsWhatRecoverReturns(Vertx vertx) throws Exception {
    open(vertx, config(dir));
    Context context = vertx.getOrCreateContext();
    String id = spool.newId();
    Envelope stored = onContext(context,
        () -> writeAndCommit(spool.begin(envelope(id)), envelope(id), "body\r\n".getBytes(), new Random(3)));
    Envelope changed = stored.mapRecipients(r -> r.address().startsWith("a")
        ? r.withOutcome(RecipientState.DELIVERED, "250 2.0.0 ok") : r.withOutcome(RecipientState.DEFERRED, "451 later"))
        .withNextAttempt(stored.arrival().plusSeconds(300));
    onContext(context, () -> spool.update(changed));
    assertEquals(changed, await(spool.load(id)));
    open(vertx, config(dir));
    assertEquals(List.of(changed), await(RecoveredEnvelopes.recover(spool)));
  }

  @Test
  void removeIsIdempotent(Vertx vertx) throws Exception {
    open(vertx, config(dir));
    Context context = vertx.getOrCreateContext();
    String keep = spool.newId();
    String gone = spool.newId();
    String bigGone = spool.newId();
    for (String id : List.of(keep, gone)) {
      onContext(context, () -> writeAndCommit(spool.begin(envelope(id)), envelope(id), "12345".getBytes(),
          new Random(4)));
    }
    onContext(context, () -> writeAndCommit(spool.begin(envelope(bigGone)), envelope(bigGone),
        randomBytes(new Random(5), SpoolWriter.JOURNAL_LIMIT + 1), new Random(4)));
    for (String id : List.of(gone, bigGone)) {
      await(spool.remove(id));
      await(spool.remove(id));
    }
    assertEquals(List.of(keep), await(spool.list()));
    assertEquals(new Spool.Usage(1, 5), spool.usage());
    assertEquals(List.of(), names(dir.resolve("queue")));
    assertThrows(Exception.class, () -> await(spool.load(gone)));
    assertThrows(Exception.class, () -> await(spool.load(bigGone)));
    open(vertx, config(dir));
    assertEquals(List.of(keep), await(RecoveredEnvelopes.recover(spool)).stream().map(Envelope::id).toList());
  }

  /** Tiny segments, so that each holds a few records: a segment goes once nothing in it is live. */
  @Test
  void aSegmentIsDeletedOnceNothingInItIsLive(Vertx vertx) throws Exception {
    spool = new FileSpool(vertx, config(dir), new RealSpoolFiles(), new QueueIds(), 2000);
    await(spool.recover());
    Context context = vertx.getOrCreateContext();
    List<Envelope> stored = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String id = spool.newId();
      stored.add(onContext(context, () -> writeAndCommit(spool.begin(envelope(id)), envelope(id),
          randomBytes(new Random(id.hashCode()), 900), new Random(6))));
    }
    List<String> full = names(dir.resolve("journal"));
    assertTrue(full.size() >= 3, full.toString());
    // The first message is updated (its newest envelope lands in a later segment), then everything but
    // the last message is removed: every segment before the last one's must go.
    onContext(context, () -> spool.update(stored.get(0).withHeld(true)));
    for (Envelope e : stored.subList(0, 5)) {
      await(spool.remove(e.id()));
    }
    String last = stored.get(5).id();
    String lastSegment = await(spool.content(last)).file().getFileName().toString();
    // The committer completes the removals first and deletes dead segments right after, on its own thread.
    List<String> left = names(dir.resolve("journal"));
    for (int i = 0; i < 100 && !left.stream().allMatch(name -> name.compareTo(lastSegment) >= 0); i++) {
      Thread.sleep(20);
      left = names(dir.resolve("journal"));
    }
    List<String> after = left;
    assertTrue(after.stream().allMatch(name -> name.compareTo(lastSegment) >= 0), after + " vs " + lastSegment);
    assertEquals(List.of(last), await(spool.list()));

    await(spool.close());
    spool = new FileSpool(vertx, config(dir), new RealSpoolFiles(), new QueueIds(), 2000);
    assertEquals(List.of(stored.get(5)), await(RecoveredEnvelopes.recover(spool)));
    assertEquals(new Spool.Usage(1, 900), spool.usage());
  }

  @Test
  void aBigWriteHoldsTheCallerBackUntilTheDiskCatchesUp(Vertx vertx) throws Exception {
    open(vertx, config(dir));
    Context context = vertx.getOrCreateContext();
    String id = spool.newId();
    byte[] data = randomBytes(new Random(11), 1024 * 1024); // 16 chunks at once: far over the 2 allowed
    boolean pendingAtFirst = onContext(context, () -> {
      MessageWriter writer = spool.begin(envelope(id));
      Future<Void> written = writer.write(Buffer.buffer(data));
      boolean pending = !written.isComplete();
      return written.compose(v -> writer.commit(envelope(id))).map(v -> pending);
    });
    assertTrue(pendingAtFirst, "write() of 16 chunks returned a completed future: no backpressure");
    assertEquals(sha256(data), sha256(await(spool.content(id))));
  }

  @Test
  void highWaterByCount(Vertx vertx) throws Exception {
    open(vertx, new SpoolConfig(dir.toString(), 2, 64, 2, 0, 0));
    Context context = vertx.getOrCreateContext();
    String last = null;
    for (int i = 0; i < 3; i++) {
      assertFalse(spool.overHighWater(), "at " + i + " messages");
      String id = spool.newId();
      last = id;
      onContext(context, () -> writeAndCommit(spool.begin(envelope(id)), envelope(id), "m".getBytes(), new Random(5)));
    }
    assertTrue(spool.overHighWater());
    await(spool.remove(last));
    assertFalse(spool.overHighWater());
  }

  @Test
  void lowFreeSpaceIsOverHighWater(Vertx vertx) throws Exception {
    open(vertx, new SpoolConfig(dir.toString(), 2, 64, 0, 0, Long.MAX_VALUE));
    assertTrue(spool.overHighWater()); // measured during recover()
  }

  private static void waitUntilEmpty(Path dir) throws Exception {
    // Cleanup of an abort is asynchronous by contract (abort() returns nothing): poll briefly, bounded.
    for (int i = 0; i < 200 && !names(dir).isEmpty(); i++) {
      Thread.sleep(10);
    }
    assertEquals(List.of(), names(dir));
  }
}
