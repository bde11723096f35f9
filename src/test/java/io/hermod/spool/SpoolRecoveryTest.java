package io.hermod.spool;

import io.hermod.testing.RecoveredEnvelopes;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.hermod.spool.SpoolTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class SpoolRecoveryTest {

  @TempDir
  Path dir;

  @Test
  void discardsIncompleteQuarantinesCorruptAndRecoversTheRest(Vertx vertx) throws Exception {
    FileSpool first = new FileSpool(vertx, config(dir));
    await(first.recover());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String id = first.newId();
      ids.add(id);
      onContext(vertx.getOrCreateContext(), () -> commitRandom(first, id));
    }
    await(first.close());
    Path queue = dir.resolve("queue");
    Path incoming = dir.resolve("incoming");
    String corrupt = ids.get(1);
    String truncated = ids.get(2);
    String msgOnly = ids.get(3);
    String envOnly = ids.get(4);
    Files.writeString(queue.resolve(corrupt + ".env"), "{\"version\":1,\"id\":\"" + corrupt + "\",\"recipients\":42}\n");
    byte[] env = Files.readAllBytes(queue.resolve(truncated + ".env"));
    Files.write(queue.resolve(truncated + ".env"), java.util.Arrays.copyOf(env, env.length / 2));
    Files.delete(queue.resolve(msgOnly + ".env"));
    Files.delete(queue.resolve(envOnly + ".msg"));
    Files.writeString(incoming.resolve("01abcdefghjkmnpq.msg"), "half a mess");
    Files.writeString(incoming.resolve("01abcdefghjkmnpq.new.env.tmp"), "{\"ver");

    List<LogRecord> warnings = new ArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getLevel() == Level.WARNING) {
          warnings.add(record);
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    Logger logger = Logger.getLogger("io.hermod.spool");
    logger.addHandler(capture);
    FileSpool second = new FileSpool(vertx, config(dir));
    try {
      List<Envelope> recovered = await(RecoveredEnvelopes.recover(second));
      assertEquals(List.of(ids.get(0)), recovered.stream().map(Envelope::id).toList());
      assertEquals(List.of(), names(incoming));
      assertEquals(List.of(ids.get(0) + ".env", ids.get(0) + ".msg"), names(queue));
      assertEquals(List.of(corrupt + ".env", corrupt + ".msg", truncated + ".env", truncated + ".msg"),
          names(dir.resolve("quarantine")));
      assertEquals(2, warnings.size(), warnings.stream().map(LogRecord::getMessage).toList().toString());
      assertTrue(warnings.get(0).getMessage().contains(corrupt), warnings.get(0).getMessage());
      assertEquals(new Spool.Usage(1, BIG), second.usage());
    } finally {
      logger.removeHandler(capture);
      await(second.close());
    }
  }

  /**
   * The journal: a record damaged in the middle is quarantined (with a WARNING) and the records after it
   * still count; updates and removals are applied; a torn append at the end is dropped quietly.
   */
  @Test
  void journalQuarantinesADamagedRecordDropsATornTailAndKeepsTheRest(Vertx vertx) throws Exception {
    FileSpool first = new FileSpool(vertx, config(dir));
    await(first.recover());
    List<Envelope> stored = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String id = first.newId();
      stored.add(onContext(vertx.getOrCreateContext(), () -> writeAndCommit(first.begin(envelope(id)), envelope(id),
          ("Subject: " + id + "\r\n\r\nbody\r\n").getBytes(), new Random(1))));
    }
    Envelope held = stored.get(3).withHeld(true);
    onContext(vertx.getOrCreateContext(), () -> first.update(held));
    await(first.remove(stored.get(4).id()));
    Spool.Content damaged = await(first.content(stored.get(1).id()));
    await(first.close());

    Path segment = damaged.file();
    byte[] bytes = Files.readAllBytes(segment);
    bytes[(int) damaged.offset() + 3] ^= 0x20; // one flipped bit in the message bytes
    byte[] torn = java.util.Arrays.copyOf(bytes, bytes.length + 60);
    System.arraycopy(bytes, 0, torn, bytes.length, 60); // the first 60 bytes of a record, as if cut short
    Files.write(segment, torn);

    List<String> warnings = captureWarnings();
    try {
      FileSpool second = new FileSpool(vertx, config(dir));
      try {
        List<Envelope> recovered = await(RecoveredEnvelopes.recover(second));
        assertEquals(List.of(stored.get(0), stored.get(2), held), recovered);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains(stored.get(1).id()), warnings.get(0));
        List<String> quarantined = names(dir.resolve("quarantine"));
        assertEquals(1, quarantined.size(), quarantined.toString());
        assertTrue(Files.readString(dir.resolve("quarantine").resolve(quarantined.get(0)),
            java.nio.charset.StandardCharsets.ISO_8859_1).contains(stored.get(1).id()));
        assertEquals(held, await(second.load(held.id())));
        assertEquals(3, second.usage().messages());
        // New appends go to a new segment; the damaged one stays (it still holds live messages).
        String id = second.newId();
        onContext(vertx.getOrCreateContext(), () -> writeAndCommit(second.begin(envelope(id)), envelope(id),
            "new\r\n".getBytes(), new Random(2)));
        assertEquals(2, names(dir.resolve("journal")).size());
      } finally {
        await(second.close());
      }
    } finally {
      releaseWarnings();
    }
  }

  private Handler capture;

  private List<String> captureWarnings() {
    List<String> warnings = java.util.Collections.synchronizedList(new ArrayList<>());
    capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getLevel() == Level.WARNING) {
          warnings.add(record.getMessage());
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    Logger.getLogger("io.hermod.spool").addHandler(capture);
    return warnings;
  }

  private void releaseWarnings() {
    Logger.getLogger("io.hermod.spool").removeHandler(capture);
  }

  /** Bigger than the journal takes, so that the message has its own files in queue/. */
  private static final int BIG = SpoolWriter.JOURNAL_LIMIT + 1000;

  private static io.vertx.core.Future<Envelope> commitRandom(Spool spool, String id) {
    return writeAndCommit(spool.begin(envelope(id)), envelope(id), randomBytes(new Random(id.hashCode()), BIG),
        new Random(1));
  }
}
