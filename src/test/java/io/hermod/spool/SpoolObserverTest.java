package io.hermod.spool;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static io.hermod.spool.SpoolTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class SpoolObserverTest {

  @TempDir
  Path dir;

  /** For a journal message and a big one: the observer has each change when its future completes. */
  @Test
  void theObserverHasEveryChangeBeforeItsFutureCompletes(Vertx vertx) throws Exception {
    FileSpool spool = new FileSpool(vertx, config(dir));
    RecoveredEnvelopes observed = new RecoveredEnvelopes();
    spool.observe(observed);
    try {
      assertEquals(0L, await(spool.recover()));
      Context context = vertx.getOrCreateContext();
      for (int size : new int[]{10, SpoolWriter.JOURNAL_LIMIT + 10}) {
        String id = spool.newId();
        Envelope stored = onContext(context, () -> writeAndCommit(spool.begin(envelope(id)), envelope(id),
            randomBytes(new Random(size), size), new Random(1)).map(e -> {
              assertEquals(List.of(e), observed.envelopes());
              return e;
            }));
        Envelope held = stored.withHeld(true);
        onContext(context, () -> spool.update(held).map(v -> {
          assertEquals(List.of(held), observed.envelopes());
          return v;
        }));
        onContext(context, () -> spool.remove(id).map(v -> {
          assertEquals(List.of(), observed.envelopes());
          return v;
        }));
      }
    } finally {
      await(spool.close());
    }
  }

  /**
   * 10^5 messages, some updated once or twice, some removed (tiny segments, so that many are deleted or
   * half dead): recovery tells the observer exactly the live messages, each once, with its newest envelope.
   */
  @Test
  void recoveryStreamsExactlyTheNewestEnvelopeOfEachLiveMessage(Vertx vertx) throws Exception {
    int count = 100_000;
    FileSpool spool = new FileSpool(vertx, config(dir), new RealSpoolFiles(), new QueueIds(), 4L << 20);
    await(spool.recover());
    Context context = vertx.getOrCreateContext();
    Map<String, Envelope> expected = new HashMap<>();
    List<Envelope> stored = all(context, count, i -> {
      String id = spool.newId();
      return writeAndCommit(spool.begin(envelope(id)), envelope(id), ("m" + i + "\r\n").getBytes(), new Random(i));
    });
    stored.forEach(e -> expected.put(e.id(), e));
    for (int round = 1; round <= 2; round++) {
      int r = round;
      all(context, count, i -> {
        Envelope e = stored.get(i);
        if (i % 7 == r) {
          expected.remove(e.id());
          return spool.remove(e.id()).map(v -> e);
        }
        if (i % 3 < r || !expected.containsKey(e.id())) {
          return Future.succeededFuture(e);
        }
        Envelope changed = e.withNextAttempt(e.arrival().plusSeconds(60L * r)).withHeld(r == 2);
        expected.put(e.id(), changed);
        return spool.update(changed).map(v -> changed);
      });
    }
    await(spool.close());

    FileSpool restarted = new FileSpool(vertx, config(dir), new RealSpoolFiles(), new QueueIds(), 4L << 20);
    RecoveredEnvelopes observed = new RecoveredEnvelopes();
    restarted.observe(observed);
    try {
      assertEquals(expected.size(), await(restarted.recover()));
      List<Envelope> recovered = observed.envelopes();
      assertEquals(expected.size(), recovered.size());
      for (Envelope e : recovered) {
        assertEquals(expected.get(e.id()), e);
        assertEquals(1, observed.storedCalls(e.id()), e.id());
      }
      assertEquals(RecoveryProgress.NONE, restarted.recoveryProgress());
    } finally {
      await(restarted.close());
    }
  }

  /** Runs {@code action} for 0..n-1 with a bounded number in flight; the results in order. */
  static List<Envelope> all(Context context, int n, IntFunction<Future<Envelope>> action) throws Exception {
    List<Envelope> results = new ArrayList<>(java.util.Collections.nCopies(n, null));
    int window = 512;
    for (int from = 0; from < n; from += window) {
      int start = from;
      int end = Math.min(n, from + window);
      onContext(context, () -> {
        List<Future<Envelope>> batch = new ArrayList<>();
        for (int i = start; i < end; i++) {
          batch.add(action.apply(i));
        }
        return Future.all(batch).map(c -> {
          for (int i = start; i < end; i++) {
            results.set(i, c.resultAt(i - start));
          }
          return null;
        });
      });
    }
    return results;
  }
}
