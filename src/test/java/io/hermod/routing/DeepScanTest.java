package io.hermod.routing;

import static io.hermod.routing.RouterFixture.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.spool.Envelope;
import io.hermod.spool.Spool;
import io.hermod.testing.ForwardingSpool;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 18: a spool scan over 100,000 messages that are not due (a large deferral) must neither overflow the
 * stack nor leave the router unable to scan again: a message that becomes due later is still delivered by a
 * later scan. The queue is deep through a decorator over the real spool (100,000 extra ids whose envelopes
 * are not due), answered synchronously (an already completed future per envelope, the worst case for a
 * recursive chain) or one event-loop hop later (as the real spool does).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DeepScanTest {

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

  @ParameterizedTest(name = "envelopes answered {0}")
  @ValueSource(booleans = {true, false})
  void aMessageThatBecomesDueAfterAScanOf100000NotDueMessagesIsDelivered(boolean synchronously) throws Exception {
    f.configure(new JsonObject()).openSpool();
    Envelope deferredLater = f.envelope("sender@local.test", "bob@remote.test")
        .withNextAttempt(Instant.now().plus(Duration.ofHours(1)));
    String id = f.spoolMessage(deferredLater);
    DeepSpool deep = new DeepSpool(f.spool, deferredLater, synchronously);
    f.spool = deep;
    f.start();

    // Generous: a scan reads 10^5 envelopes, and the machine may be busy with other tests.
    RouterFixture.until("the message, not due at the first full scan, is delivered by a later one", 90,
        () -> f.delivery.jobs.size() == 1);
    assertTrue(deep.scansCompleted.get() >= 2, "the first full scan saw it not due: " + deep.scansCompleted);
    f.spool = deep.real();
    until("and removed from the spool", () -> f.queued().isEmpty());
    assertEquals(1, f.delivery.jobs.size());
    assertEquals(id, f.delivery.jobs.get(0).job().queueId());
  }

  /**
   * The real spool plus {@link #DEPTH} ids listed before the real ones, each with an envelope that is due in
   * an hour. Counts the scans that read the last id (a scan that got through the whole queue); that real
   * message reads as not due at the first such scan and due from the second on, whatever the machine's speed.
   */
  static final class DeepSpool extends ForwardingSpool {

    private final List<String> extra = new ArrayList<>(DEPTH);
    private final Set<String> extraIds;
    private final Envelope template;
    private final boolean synchronously;
    final AtomicInteger scansCompleted = new AtomicInteger();

    DeepSpool(Spool real, Envelope template, boolean synchronously) {
      super(real);
      this.template = template;
      this.synchronously = synchronously;
      for (int i = 0; i < DEPTH; i++) {
        extra.add(String.format("deep%07d", i));
      }
      this.extraIds = Set.copyOf(extra);
    }

    Spool real() {
      return real;
    }

    @Override
    public Future<List<String>> list() {
      return real.list().map(ids -> {
        List<String> all = new ArrayList<>(extra);
        all.addAll(ids);
        return all;
      });
    }

    @Override
    public Future<Envelope> load(String id) {
      if (!extraIds.contains(id)) {
        if (template.id().equals(id)) {
          Instant due = scansCompleted.incrementAndGet() == 1 ? Instant.now().plus(Duration.ofHours(1)) : Instant.now();
          return real.load(id).map(env -> env.withNextAttempt(due)); // listed last
        }
        return real.load(id);
      }
      Envelope notDue = new Envelope(id, template.sender(), template.recipients(), null, template.ret(),
          template.body(), false, "127.0.0.1", "client.test", null, "mx", template.arrival(), 0,
          Instant.now().plus(Duration.ofHours(1)), false, false);
      if (synchronously) {
        return Future.succeededFuture(notDue);
      }
      Promise<Envelope> later = Promise.promise();
      Vertx.currentContext().runOnContext(v -> later.complete(notDue));
      return later.future();
    }
  }
}
