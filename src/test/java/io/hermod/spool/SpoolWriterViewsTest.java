package io.hermod.spool;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.hermod.spool.SpoolTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link MessageWriter#writeImmutable} (views the writer may keep) mixed with copied writes, in pieces below and
 * above {@link SpoolWriter#MIN_VIEW}, each piece inside a larger array: the spooled bytes are exactly those
 * written, in the journal for a message up to {@link SpoolWriter#JOURNAL_LIMIT} and in its own file past it
 * (the limit crossed by a kept view, by a copy, or by the first write), before and after a restart.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class SpoolWriterViewsTest {

  @TempDir
  Path dir;

  private FileSpool spool;

  @AfterEach
  void close() throws Exception {
    if (spool != null) {
      await(spool.close());
    }
  }

  @Test
  void mixedViewsAndCopiesAreSpooledExactly(Vertx vertx) throws Exception {
    spool = new FileSpool(vertx, config(dir));
    await(spool.recover());
    Context context = vertx.getOrCreateContext();
    int limit = SpoolWriter.JOURNAL_LIMIT;
    int[] sizes = {0, 1, 700, 1024, 32 * 1024, limit - 1, limit, limit + 1, 600 * 1024};
    List<String> ids = new ArrayList<>();
    List<byte[]> contents = new ArrayList<>();
    Random random = new Random(7);
    for (int size : sizes) {
      for (int maxPiece : new int[] {40, 3000, 70_000, Integer.MAX_VALUE}) {
        byte[] data = randomBytes(random, size);
        String id = spool.newId();
        long seed = random.nextLong();
        Envelope stored = onContext(context, () -> {
          MessageWriter writer = spool.begin(envelope(id));
          return writePieces(writer, data, 0, new Random(seed), maxPiece).compose(v -> writer.commit(envelope(id)));
        });
        assertEquals(size, stored.size());
        assertEquals(sha256(data), sha256(await(spool.content(id))), size + " octets in pieces up to " + maxPiece);
        boolean inJournal = await(spool.content(id)).file().toString().contains("journal");
        assertEquals(size <= limit, inJournal, size + " octets: journal or file");
        ids.add(id);
        contents.add(data);
      }
    }
    await(spool.close());
    spool = new FileSpool(vertx, config(dir)); // as after a restart
    await(spool.recover());
    for (int i = 0; i < ids.size(); i++) {
      assertEquals(sha256(contents.get(i)), sha256(await(spool.content(ids.get(i)))), "after a restart, " + i);
    }
  }

  @Test
  void anAbortedWriterTakesNothingMore(Vertx vertx) throws Exception {
    spool = new FileSpool(vertx, config(dir));
    await(spool.recover());
    Context context = vertx.getOrCreateContext();
    String id = spool.newId();
    boolean refused = onContext(context, () -> {
      MessageWriter writer = spool.begin(envelope(id));
      byte[] bytes = new byte[2048];
      writer.writeImmutable(bytes, 0, bytes.length);
      writer.abort();
      return writer.writeImmutable(bytes, 0, 10).map(v -> false).otherwise(true);
    });
    assertEquals(true, refused);
  }

  /**
   * Random pieces, half of them views of a larger array (the rest of which is noise), half copied Buffers; the
   * next piece only once the last write's future completed (looping while they complete at once).
   */
  private static Future<Void> writePieces(MessageWriter writer, byte[] data, int start, Random random, int maxPiece) {
    int from = start;
    while (from < data.length) {
      int n = Math.min(data.length - from, 1 + random.nextInt(Math.min(maxPiece, data.length - from)));
      Future<Void> written;
      if (random.nextBoolean()) {
        int at = random.nextInt(16);
        byte[] around = randomBytes(random, at + n + random.nextInt(16));
        System.arraycopy(data, from, around, at, n);
        written = writer.writeImmutable(around, at, at + n);
      } else {
        written = writer.write(Buffer.buffer().appendBytes(data, from, n));
      }
      from += n;
      if (!written.isComplete() || written.failed()) {
        int next = from;
        return written.compose(v -> writePieces(writer, data, next, random, maxPiece));
      }
    }
    return Future.succeededFuture();
  }
}
