package io.hermod.queue;

import io.hermod.queue.QueueIndex.State;
import io.hermod.spool.Envelope;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static io.hermod.queue.Envelopes.T0;
import static io.hermod.queue.Envelopes.envelope;
import static io.hermod.queue.Envelopes.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueueIndexScheduleTest {

  private static final int DEPTH = 100_000;
  private static final Instant LATER = T0.plusSeconds(3600);

  private final QueueIndex index = new QueueIndex();

  private Envelope due(int n, Instant next) {
    return envelope(id(n), "s@sender.test", T0.minusSeconds(60), next, "r@remote.test");
  }

  @Test
  void takeDueReturnsEveryDueMessageOnceInDueOrder() {
    Random random = new Random(13);
    Map<String, Instant> next = new HashMap<>();
    List<Integer> order = new ArrayList<>();
    for (int n = 0; n < DEPTH; n++) {
      order.add(n);
    }
    Collections.shuffle(order, random);
    for (int n : order) {
      // a storm: most due within ten minutes, so many share a second
      Instant at = T0.plusSeconds(random.nextInt(n % 10 == 0 ? 86_400 : 600));
      next.put(id(n), at);
      index.stored(due(n, at));
    }
    assertEquals(Optional.of(next.values().stream().min(Instant::compareTo).orElseThrow()), index.nextDue());

    Instant cut = T0.plusSeconds(300);
    long dueByCut = next.values().stream().filter(t -> !t.isAfter(cut)).count();
    List<String> taken = new ArrayList<>();
    for (List<String> batch = index.takeDue(cut, 777); !batch.isEmpty(); batch = index.takeDue(cut, 777)) {
      taken.addAll(batch);
    }
    assertEquals(dueByCut, taken.size(), "everything due by the cut, nothing later");
    for (List<String> batch = index.takeDue(T0.plusSeconds(86_400), 5000); !batch.isEmpty();
         batch = index.takeDue(T0.plusSeconds(86_400), 5000)) {
      taken.addAll(batch);
    }
    assertEquals(DEPTH, taken.size());
    assertEquals(DEPTH, new HashSet<>(taken).size(), "each once");
    for (int i = 1; i < taken.size(); i++) {
      assertFalse(next.get(taken.get(i)).isBefore(next.get(taken.get(i - 1))), "due order at " + i);
    }
    assertEquals(Optional.empty(), index.nextDue());
    assertEquals(DEPTH, index.counts(LATER).active());
  }

  @Test
  void aTakenMessageIsUpdatedButNotScheduledUntilReleased() {
    index.stored(due(1, T0));
    index.stored(due(2, T0.plusSeconds(1)));
    assertEquals(List.of(id(1)), index.takeDue(T0, 10));
    assertEquals(Optional.of(State.ACTIVE), index.state(id(1), T0));
    assertFalse(index.take(id(1)), "already taken");

    index.stored(due(1, T0.plusSeconds(600)));
    assertEquals(Optional.of(State.ACTIVE), index.state(id(1), LATER), "still the router's");
    assertEquals(List.of(id(2)), index.takeDue(LATER, 10));

    index.release(id(1));
    assertEquals(Optional.of(State.DEFERRED), index.state(id(1), T0.plusSeconds(599)));
    assertEquals(Optional.of(State.READY), index.state(id(1), T0.plusSeconds(600)));
    assertEquals(Optional.of(T0.plusSeconds(600)), index.nextDue());
    assertTrue(index.take(id(1)), "out of turn");
    assertEquals(List.of(), index.takeDue(LATER, 10));
    assertFalse(index.take(id(3)), "unknown");
    index.release(id(3));
  }

  @Test
  void aHeldMessageIsNotScheduledUntilUnheld() {
    Envelope env = due(1, T0);
    index.stored(env.withHeld(true));
    assertEquals(Optional.of(State.HELD), index.state(id(1), LATER));
    assertEquals(Optional.empty(), index.nextDue());
    assertEquals(List.of(), index.takeDue(LATER, 10));
    assertFalse(index.take(id(1)));
    assertEquals(1, index.counts(LATER).held());

    index.stored(env);
    assertEquals(Optional.of(State.READY), index.state(id(1), LATER));
    assertEquals(List.of(id(1)), index.takeDue(LATER, 10));
    index.stored(env.withHeld(true));
    index.release(id(1));
    assertEquals(Optional.of(State.HELD), index.state(id(1), LATER), "held while taken: held on release");
  }

  @Test
  void doneAndBouncedMessagesAreDueAtOnce() {
    index.stored(due(1, T0));
    Envelope done = Envelopes.delivered(due(2, LATER.plusSeconds(86_400)), "remote.test");
    assertTrue(done.isDone());
    index.stored(done);
    index.stored(due(3, LATER.plusSeconds(86_400)).withBounceDsnId(id(99)));
    assertEquals(Optional.of(State.READY), index.state(id(2), T0.minusSeconds(3600)));
    assertTrue(index.nextDue().orElseThrow().isBefore(T0));
    assertEquals(Set.of(id(2), id(3)), new HashSet<>(index.takeDue(T0.minusSeconds(3600), 10)));
    assertEquals(List.of(id(1)), index.takeDue(T0, 10));
  }

  @Test
  void waitingMessagesCostNoScheduleAndComeBackBySiteOrAge() {
    for (int n = 1; n <= 4; n++) {
      index.stored(envelope(id(n), "s@sender.test", T0.plusSeconds(10 - n), T0, "r@remote.test"));
      index.site(id(n), n <= 2 ? "mx:a" : "mx:b");
    }
    index.waitForSite(id(1));
    assertEquals(Optional.of(State.READY), index.state(id(1), T0), "not taken: not waiting");
    assertEquals(4, index.takeDue(T0, 10).size());
    for (int n = 1; n <= 4; n++) {
      index.waitForSite(id(n));
    }
    assertEquals(Set.of("mx:a", "mx:b"), new HashSet<>(index.waitingSites()));
    assertEquals(4, index.counts(T0).waiting());
    assertEquals(0, index.counts(T0).active());
    index.release(id(4));
    index.waitForSite(id(4));
    assertEquals(Optional.of(State.READY), index.state(id(4), T0), "released, so not taken: waitForSite ignored");
    assertEquals(List.of(id(4)), index.takeDue(LATER, 10));
    index.waitForSite(id(4));

    index.site(id(3), "mx:a");
    assertEquals(List.of(id(3), id(2), id(1)), index.openSite("mx:a", 10), "oldest first, moved with its site");
    assertEquals(Optional.of(State.ACTIVE), index.state(id(1), T0));
    assertEquals(List.of("mx:b"), index.waitingSites());
    assertEquals(List.of(), index.takeWaitingArrivedBefore(T0.plusSeconds(6), 10), "arrived at +6");
    assertEquals(List.of(id(4)), index.takeWaitingArrivedBefore(T0.plusSeconds(7), 10));
    assertEquals(List.of(), index.waitingSites());
    assertEquals(new QueueIndex.Counts(4, 0, 0, 0, 4, 0), index.counts(T0));

    index.waitForSite(id(1));
    index.removed(id(1));
    assertEquals(List.of(), index.waitingSites());
    assertEquals(new QueueIndex.Counts(3, 0, 0, 0, 3, 0), index.counts(T0));
  }

  @Test
  void waitingSpreadOverSitesComesBackOldestFirst() {
    List<String> expected = new ArrayList<>();
    for (int n = 0; n < DEPTH; n++) {
      index.stored(envelope(id(n), "s@sender.test", T0.plusSeconds(n / 7), T0, "r@remote.test"));
      index.site(id(n), "mx:" + (n % 5));
      expected.add(id(n));
    }
    assertEquals(DEPTH, index.takeDue(T0, DEPTH).size());
    List<String> shuffled = new ArrayList<>(expected);
    Collections.shuffle(shuffled, new Random(5));
    shuffled.forEach(index::waitForSite);
    List<String> back = new ArrayList<>();
    for (List<String> batch = index.takeWaitingArrivedBefore(LATER.plusSeconds(DEPTH), 999); !batch.isEmpty();
         batch = index.takeWaitingArrivedBefore(LATER.plusSeconds(DEPTH), 999)) {
      back.addAll(batch);
    }
    assertEquals(DEPTH, back.size());
    for (int i = 1; i < back.size(); i++) {
      assertTrue(arrival(back.get(i - 1)) <= arrival(back.get(i)), "oldest first at " + i);
    }
  }

  /** The arrival second of a message of the waiting test: the id's number / 7. */
  private static long arrival(String id) {
    long n = 0;
    for (int i = 9; i < 16; i++) {
      n = n * 32 + "0123456789abcdefghjkmnpqrstvwxyz".indexOf(id.charAt(i));
    }
    return n / 7;
  }
}
