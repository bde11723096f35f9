package io.hermod.routing;

import static io.hermod.routing.RouterFixture.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.spool.Envelope;
import io.hermod.spool.MessageWriter;
import io.hermod.testing.ForwardingSpool;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issues 18 and 13: 100,000 deferred messages in a real spool cost the router nothing. It takes due mail from
 * the queue index: the one due message is delivered, and a deferred one is delivered once an update makes it
 * due, with a handful of envelope reads in all (a scan read every queued envelope, and once overflowed the
 * stack on a queue this deep).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DeepQueueRouterTest {

  static final int DEPTH = 100_000;

  @TempDir
  Path dir;
  private RouterFixture f;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    f = new RouterFixture(vertx, dir);
    f.dns.mx("remote.test", 10, "mx1.remote.test").a("mx1.remote.test", "192.0.2.1");
  }

  @AfterEach
  void tearDown() throws Exception {
    f.close();
  }

  @Test
  void aDeepDeferredQueueIsNeverReadToFindTheMessageThatIsDue() throws Exception {
    f.configure(new JsonObject()).openSpool();
    Instant later = Instant.now().plus(Duration.ofHours(1));
    List<String> deferred = fill(DEPTH, later);
    assertEquals(DEPTH, f.index.size());
    String due = f.spoolMessage(f.envelope("sender@local.test", "bob@remote.test"));
    CountingSpool counting = new CountingSpool(f.spool);
    f.spool = counting;
    f.start();

    until("the due message is delivered", 60, () -> f.delivery.jobs.size() == 1);
    assertEquals(due, f.delivery.jobs.get(0).job().queueId());

    // An operator flush (an update that makes it due) is all it takes for a deferred one.
    String flushed = deferred.get(DEPTH / 2);
    Envelope env = f.load(flushed);
    f.onContext(() -> f.spool.update(env.withNextAttempt(Instant.now())));
    until("the flushed message is delivered", 60, () -> f.delivery.jobs.size() == 2);
    assertEquals(flushed, f.delivery.jobs.get(1).job().queueId());
    assertTrue(counting.loads.get() <= 10, "envelope reads: " + counting.loads.get());
    assertEquals(DEPTH - 1, f.index.counts(Instant.now()).deferred(), "the rest still deferred, untouched");
  }

  /** {@code count} messages for remote.test due at {@code due}, 500 commits at a time (they share fsyncs). */
  private List<String> fill(int count, Instant due) throws Exception {
    List<String> ids = new ArrayList<>(count);
    for (int start = 0; start < count; start += 500) {
      int batch = Math.min(500, count - start);
      List<String> committed = f.onContext(() -> {
        List<Future<String>> commits = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
          Envelope env = f.envelope("sender@local.test", "r@remote.test").withNextAttempt(due);
          MessageWriter writer = f.spool.begin(env);
          commits.add(writer.write(Buffer.buffer(RouterFixture.MESSAGE)).compose(v -> writer.commit(env))
              .map(Envelope::id));
        }
        return Future.all(commits).map(all -> all.<String>list());
      });
      ids.addAll(committed);
    }
    return ids;
  }

  /** The real spool, counting envelope reads. */
  static final class CountingSpool extends ForwardingSpool {
    final AtomicInteger loads = new AtomicInteger();

    CountingSpool(io.hermod.spool.Spool real) {
      super(real);
    }

    @Override
    public Future<Envelope> load(String id) {
      loads.incrementAndGet();
      return real.load(id);
    }
  }
}
