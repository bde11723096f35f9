package io.hermod.spool;

import io.hermod.testing.RecoveredEnvelopes;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import static io.hermod.spool.SpoolTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Recovery parses only each message's newest envelope line: when that line has a sound CRC but is not a
 * usable envelope, it is quarantined and the message keeps its newest usable envelope, as when every line was
 * parsed; a new message whose only line is unusable is not recovered.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class UnusableEnvelopeLineTest {

  @TempDir
  Path dir;

  @Test
  void anUnusableNewestLineFallsBackToTheOneBefore(Vertx vertx) throws Exception {
    FileSpool first = new FileSpool(vertx, config(dir));
    await(first.recover());
    String updated = first.newId();
    String broken = first.newId();
    Envelope stored = onContext(vertx.getOrCreateContext(), () -> writeAndCommit(first.begin(envelope(updated)),
        envelope(updated), "body\r\n".getBytes(), new Random(1)));
    Envelope held = stored.withHeld(true);
    onContext(vertx.getOrCreateContext(), () -> first.update(held));
    Path segment = await(first.content(updated)).file();
    await(first.close());

    String bad = "{\"version\":1,\"id\":\"%s\",\"recipients\":42,\"size\":%d}\n";
    append(segment, JournalRecord.Type.UPDATE, String.format(bad, updated, 6), new byte[0]);
    append(segment, JournalRecord.Type.MESSAGE, String.format(bad, broken, 3), "abc".getBytes());

    FileSpool second = new FileSpool(vertx, config(dir));
    try {
      assertEquals(List.of(held), await(RecoveredEnvelopes.recover(second)));
      assertEquals(held, await(second.load(updated)));
      assertEquals(2, names(dir.resolve("quarantine")).size(), names(dir.resolve("quarantine")).toString());
      assertEquals(1, second.usage().messages());
    } finally {
      await(second.close());
    }
  }

  /** A record with sound framing and CRCs around {@code line}. */
  private static void append(Path segment, JournalRecord.Type type, String line, byte[] data) throws Exception {
    byte[] json = line.getBytes(StandardCharsets.UTF_8);
    CRC32C crc = new CRC32C();
    crc.update(json);
    crc.update(data);
    byte[] header = JournalRecord.header(type, json.length, data.length, (int) crc.getValue());
    Files.write(segment, header, StandardOpenOption.APPEND);
    Files.write(segment, json, StandardOpenOption.APPEND);
    Files.write(segment, data, StandardOpenOption.APPEND);
  }
}
