package io.hermod.queue;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.hermod.queue.Envelopes.T0;
import static io.hermod.queue.Envelopes.envelope;
import static io.hermod.queue.Envelopes.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The index's own estimate of its heap per queued message, against the 200-byte budget of issue #13. */
class QueueIndexMemoryTest {

  private static final int DEPTH = 100_000;

  @Test
  void aDeferredStormCostsAtMost200BytesAMessage() {
    QueueIndex index = new QueueIndex();
    for (int n = 0; n < DEPTH; n++) {
      // one bulk sender to a few big providers, deferred for an hour with jitter, over half an hour of intake
      Instant arrival = T0.plusSeconds(n / 50);
      index.stored(envelope(id(n), "news@bulk.test", arrival, arrival.plusSeconds(3600 + n % 720),
          "user" + n + "@provider" + n % 5 + ".test"));
      index.site(id(n), "mx:provider" + n % 5);
    }
    assertPerMessage(index);
  }

  @Test
  void aLongTailOfDomainsSecondsAndSitesStaysWithinBudget() {
    QueueIndex index = new QueueIndex();
    for (int n = 0; n < DEPTH; n++) {
      // the pessimistic case: every next attempt in a second of its own, arrivals over 5 days, 5,000 domains
      Instant arrival = T0.minusSeconds(n * 4L);
      index.stored(envelope(id(n), "s" + n + "@senders.test", arrival, T0.plusSeconds(n),
          "a@d" + n % 5000 + ".test", "b@e" + n % 5000 + ".test"));
      index.site(id(n), "mx:" + n % 2000);
    }
    assertPerMessage(index);
  }

  @Test
  void removingEveryMessageGivesTheSharedTablesBack() {
    QueueIndex index = new QueueIndex();
    long empty = index.memoryBytes();
    for (int n = 0; n < 10_000; n++) {
      index.stored(envelope(id(n), "s@senders.test", T0.minusSeconds(n * 60L), T0.plusSeconds(n),
          "a@d" + n + ".test", "b@e" + n + ".test"));
      index.site(id(n), "mx:" + n);
    }
    long full = index.memoryBytes();
    for (int n = 0; n < 10_000; n++) {
      index.removed(id(n));
    }
    assertEquals(0, index.size());
    long left = index.memoryBytes();
    // the slot columns and the id table keep their chunks for the next messages; names, times and counters go
    assertTrue(left - empty < (full - empty) / 2, "left " + left + " of " + full);
  }

  private static void assertPerMessage(QueueIndex index) {
    assertEquals(DEPTH, index.size());
    long perMessage = index.memoryBytes() / index.size();
    assertTrue(perMessage <= 200, perMessage + " bytes a message");
  }
}
