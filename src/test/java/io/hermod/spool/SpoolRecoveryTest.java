package io.hermod.spool;

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
      List<Envelope> recovered = await(second.recover());
      assertEquals(List.of(ids.get(0)), recovered.stream().map(Envelope::id).toList());
      assertEquals(List.of(), names(incoming));
      assertEquals(List.of(ids.get(0) + ".env", ids.get(0) + ".msg"), names(queue));
      assertEquals(List.of(corrupt + ".env", corrupt + ".msg", truncated + ".env", truncated + ".msg"),
          names(dir.resolve("quarantine")));
      assertEquals(2, warnings.size(), warnings.stream().map(LogRecord::getMessage).toList().toString());
      assertTrue(warnings.get(0).getMessage().contains(corrupt), warnings.get(0).getMessage());
      assertEquals(new Spool.Usage(1, 1000), second.usage());
    } finally {
      logger.removeHandler(capture);
      await(second.close());
    }
  }

  private static io.vertx.core.Future<Envelope> commitRandom(Spool spool, String id) {
    return writeAndCommit(spool.begin(envelope(id)), envelope(id), randomBytes(new Random(id.hashCode()), 1000),
        new Random(1));
  }
}
