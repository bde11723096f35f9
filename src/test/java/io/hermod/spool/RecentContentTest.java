package io.hermod.spool;

import io.hermod.testing.RecoveredEnvelopes;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.hermod.spool.SpoolTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** The bytes of just-stored messages, held for delivery in front of the next observer (issue #17). */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class RecentContentTest {

  @TempDir
  Path dir;

  /**
   * A real spool, messages written in random pieces (views and copied runs): each journal message up to 64 KiB is
   * held byte for byte as the spool stored it, kept across an update, gone on removal; a bigger one (the journal's
   * or a message file) is not held; the next observer hears of everything.
   */
  @Test
  void holdsExactlyTheStoredBytesOfSmallMessagesUntilRemoval(Vertx vertx) throws Exception {
    FileSpool spool = new FileSpool(vertx, config(dir));
    RecoveredEnvelopes next = new RecoveredEnvelopes();
    RecentContent recent = new RecentContent(next);
    spool.observe(recent);
    try {
      await(spool.recover());
      Context context = vertx.getOrCreateContext();
      int[] sizes = {0, 10, 1024, 33_333, RecentContent.MAX_MESSAGE_BYTES, RecentContent.MAX_MESSAGE_BYTES + 1,
          SpoolWriter.JOURNAL_LIMIT + 10};
      for (int size : sizes) {
        String id = spool.newId();
        byte[] data = randomBytes(new Random(size), size);
        Envelope stored = onContext(context, () -> writeAndCommit(spool.begin(envelope(id)), envelope(id), data,
            new Random(size + 1)));
        assertEquals(List.of(stored), next.envelopes().stream().filter(e -> e.id().equals(id)).toList());
        Spool.Content where = await(spool.content(id));
        byte[] onDisk = Arrays.copyOfRange(Files.readAllBytes(where.file()), (int) where.offset(),
            (int) (where.offset() + where.length()));
        assertArrayEquals(data, onDisk, "spool's own copy of " + size);
        byte[] held = recent.bytes(id, size);
        if (size <= RecentContent.MAX_MESSAGE_BYTES) {
          assertArrayEquals(onDisk, held, "held bytes of a " + size + "-byte message");
          assertNull(recent.bytes(id, size + 1), "another length is another message: not these bytes");
        } else {
          assertNull(held, "a " + size + "-byte message is read from the spool");
        }
        onContext(context, () -> spool.update(stored.withHeld(true)));
        assertEquals(size <= RecentContent.MAX_MESSAGE_BYTES, recent.bytes(id, size) != null, "kept across an update");
        onContext(context, () -> spool.remove(id));
        assertNull(recent.bytes(id, size), "gone with the message");
        assertTrue(next.envelopes().stream().noneMatch(e -> e.id().equals(id)), "the next observer heard of the removal");
      }
      assertEquals(0, recent.size());
      assertEquals(0, recent.heldBytes());
    } finally {
      await(spool.close());
    }
  }

  /** Past its byte bound the oldest messages go first; the newest always stay. */
  @Test
  void evictsTheOldestBeyondItsBound() {
    RecentContent recent = new RecentContent(SpoolObserver.NONE, 3_000);
    for (int i = 1; i <= 5; i++) {
      byte[] part = new byte[1_000];
      Arrays.fill(part, (byte) i);
      // two views of one array, as a listener's message often is
      recent.arrived(envelope("m" + i), List.of(ByteBuffer.wrap(part, 0, 400), ByteBuffer.wrap(part, 400, 600)));
    }
    assertEquals(3, recent.size());
    assertEquals(3_000, recent.heldBytes());
    assertNull(recent.bytes("m1", 1_000));
    assertNull(recent.bytes("m2", 1_000));
    for (int i = 3; i <= 5; i++) {
      byte[] expected = new byte[1_000];
      Arrays.fill(expected, (byte) i);
      assertArrayEquals(expected, recent.bytes("m" + i, 1_000));
    }
    recent.removed("m4");
    assertEquals(2_000, recent.heldBytes());
  }
}
