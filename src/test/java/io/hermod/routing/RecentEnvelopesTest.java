package io.hermod.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.smtp.BodyType;
import io.hermod.smtp.DsnRet;
import io.hermod.spool.Envelope;
import io.hermod.spool.Recipient;
import io.hermod.spool.SpoolObserver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The router's in-memory hand-off holds the newest durable envelope, once, within its bounds; the index hears all. */
class RecentEnvelopesTest {

  private final List<String> told = new ArrayList<>();
  private final SpoolObserver index = new SpoolObserver() {
    @Override
    public void stored(Envelope envelope) {
      told.add("stored " + envelope.id() + (envelope.held() ? " held" : ""));
    }

    @Override
    public void removed(String id) {
      told.add("removed " + id);
    }
  };

  @Test
  void aStoredEnvelopeIsTakenOnceThenTheSpoolIsAsked() {
    RecentEnvelopes recent = new RecentEnvelopes(index);
    Envelope a = envelope("A", 1);
    recent.stored(a);
    assertSame(a, recent.take("A"));
    assertNull(recent.take("A"));
    assertNull(recent.take("B"));
  }

  @Test
  void theNewestDurableEnvelopeWinsAndARemovalDropsIt() {
    RecentEnvelopes recent = new RecentEnvelopes(index);
    recent.stored(envelope("A", 1));
    Envelope held = envelope("A", 1).withHeld(true); // an operator's hold after the commit
    recent.stored(held);
    assertSame(held, recent.take("A"));
    recent.stored(envelope("B", 1));
    recent.removed("B");
    assertNull(recent.take("B"));
    assertEquals(List.of("stored A", "stored A held", "stored B", "removed B"), told, "the index hears every change");
  }

  @Test
  void boundedByMessagesTheOldestGoFirst() {
    RecentEnvelopes recent = new RecentEnvelopes(index, 3, 100);
    for (String id : List.of("A", "B", "C", "D")) {
      recent.stored(envelope(id, 1));
    }
    assertEquals(3, recent.size());
    assertNull(recent.take("A"));
    assertEquals("D", recent.take("D").id());
  }

  @Test
  void boundedByRecipientsAndTooBigIsNotHeld() {
    RecentEnvelopes recent = new RecentEnvelopes(index, 100, 5);
    recent.stored(envelope("A", 3));
    recent.stored(envelope("B", 2));
    recent.stored(envelope("C", 1)); // 6 > 5: A goes
    assertNull(recent.take("A"));
    assertEquals(2, recent.size());
    recent.stored(envelope("B", 6)); // an update too big to hold: the older B must not stay either
    assertNull(recent.take("B"));
    assertEquals("C", recent.take("C").id());
    recent.stored(envelope("E", 5)); // exactly the bound fits, after C was taken
    assertEquals("E", recent.take("E").id());
  }

  @Test
  void committerAndRouterThreadsAtOnceKeepTheBoundsAndTheNewestVersion() throws Exception {
    RecentEnvelopes recent = new RecentEnvelopes(SpoolObserver.NONE, 64, 200);
    int messages = 2_000;
    Thread committer = new Thread(() -> {
      for (int i = 0; i < messages; i++) {
        recent.stored(envelope("M" + i, 1 + i % 3));
        recent.stored(envelope("M" + i, 1 + i % 3).withHeld(true)); // its update, always after
      }
    });
    Thread router = new Thread(() -> {
      for (int round = 0; round < 50; round++) {
        for (int i = 0; i < messages; i++) {
          recent.take("M" + i);
        }
      }
    });
    committer.start();
    router.start();
    committer.join();
    router.join();
    assertTrue(recent.size() <= 64, "held: " + recent.size());
    for (int i = 0; i < messages; i++) {
      Envelope last = recent.take("M" + i);
      if (last != null) {
        assertTrue(last.held(), "what stays is the newest version of M" + i);
      }
    }
  }

  private static Envelope envelope(String id, int recipients) {
    List<Recipient> rcpts = new ArrayList<>();
    for (int i = 0; i < recipients; i++) {
      rcpts.add(Recipient.pending("r" + i + "@remote.test", null, Set.of()));
    }
    Instant now = Instant.parse("2026-12-06T00:00:00Z");
    return new Envelope(id, "s@local.test", rcpts, null, DsnRet.HDRS, BodyType.SEVEN_BIT, false, "127.0.0.1",
        "client.test", null, "mx", now, 0, now, false, false, null, null, null, null);
  }
}
