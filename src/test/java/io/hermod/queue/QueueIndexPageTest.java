package io.hermod.queue;

import io.hermod.queue.QueueIndex.Filter;
import io.hermod.queue.QueueIndex.Page;
import io.hermod.queue.QueueIndex.State;
import io.hermod.spool.Envelope;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static io.hermod.queue.Envelopes.T0;
import static io.hermod.queue.Envelopes.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueueIndexPageTest {

  private static final int DEPTH = 100_000;

  private final QueueIndex index = new QueueIndex();
  private final Model model = new Model();
  private final Random random = new Random(7);

  private void fill(int from, int to) {
    for (int n = from; n < to; n++) {
      model.stored(index, Envelopes.random(n, random));
      if (n % 4 != 0) {
        index.site(id(n), "mx:" + n % 7);
        model.sites.put(id(n), "mx:" + n % 7);
      }
    }
  }

  /** Every id of {@code filter}'s pages, each page asked from the cursor the one before gave. */
  private List<String> walk(Filter filter, Instant now, Runnable betweenPages) {
    List<String> out = new ArrayList<>();
    long cursor = 0;
    while (cursor != -1) {
      Page page = index.page(filter, cursor, 1000, now);
      assertTrue(page.ids().size() <= 1000);
      assertTrue(page.nextCursor() == -1 || page.nextCursor() > cursor, "the cursor moves on");
      out.addAll(page.ids());
      cursor = page.nextCursor();
      betweenPages.run();
    }
    return out;
  }

  @Test
  void aWalkReturnsEveryMessageQueuedThroughoutExactlyOnceWhileOthersComeAndGo() {
    fill(0, DEPTH);
    // ids below DEPTH and not a multiple of 3 stay; the others are removed and added during the walk
    Set<String> stay = new HashSet<>();
    for (int n = 0; n < DEPTH; n++) {
      if (n % 3 != 0) {
        stay.add(id(n));
      }
    }
    int[] added = {DEPTH};
    List<String> churn = new ArrayList<>();
    for (int n = 0; n < DEPTH; n += 3) {
      churn.add(id(n));
    }
    List<String> seen = walk(Filter.ANY, T0, () -> {
      for (int i = 0; i < 300 && !churn.isEmpty(); i++) {
        model.removed(index, churn.remove(random.nextInt(churn.size())));
      }
      for (int i = 0; i < 300; i++) {
        int n = added[0]++;
        model.stored(index, Envelopes.random(n, random));
        churn.add(id(n));
      }
    });
    Map<String, Integer> times = new HashMap<>();
    seen.forEach(id -> times.merge(id, 1, Integer::sum));
    assertEquals(Set.of(1), new HashSet<>(times.values()), "no id twice");
    assertTrue(times.keySet().containsAll(stay), "every message queued throughout");
    assertTrue(added[0] > DEPTH + 20_000, "the walk took a while: freed slots were reused behind and ahead of it");
  }

  @Test
  void eachFilterFindsWhatBruteForceFinds() {
    fill(0, DEPTH);
    for (String id : index.takeDue(T0, 3000)) {
      model.taken.add(id);
      if (id.hashCode() % 3 == 0) {
        index.waitForSite(id);
        model.waiting.add(id);
      }
    }
    Instant now = T0.plusSeconds(600);
    check(new Filter("D7.test", null, null, null, 0, 0), now,
        env -> Model.pendingDomains(env).contains("d7.test"));
    check(new Filter(null, "mx:3", null, null, 0, 0), now, env -> "mx:3".equals(model.sites.get(env.id())));
    check(new Filter(null, QueueIndex.UNROUTED, null, null, 0, 0), now, env -> !model.sites.containsKey(env.id()));
    check(new Filter(null, null, "s4@SENDER.test", null, 0, 0), now, env -> env.sender().equals("S4@sender.test"));
    check(new Filter(null, null, "", null, 0, 0), now, env -> env.sender().isEmpty());
    for (State state : State.values()) {
      check(new Filter(null, null, null, state, 0, 0), now, env -> model.state(env.id(), now) == state);
    }
    check(new Filter(null, null, null, null, 3600, 0), now, env -> age(env, now) >= 3600);
    check(new Filter(null, null, null, null, 0, 1800), now, env -> age(env, now) <= 1800);
    check(new Filter("d3.test", "mx:1", null, State.DEFERRED, 600, 7200), now,
        env -> Model.pendingDomains(env).contains("d3.test") && "mx:1".equals(model.sites.get(env.id()))
            && model.state(env.id(), now) == State.DEFERRED && age(env, now) >= 600 && age(env, now) <= 7200);
    check(new Filter("nowhere.test", null, null, null, 0, 0), now, env -> false);
  }

  private static long age(Envelope env, Instant now) {
    return Duration.between(env.arrival(), now).toSeconds();
  }

  private void check(Filter filter, Instant now, Predicate<Envelope> expected) {
    Set<String> want = model.envelopes.values().stream().filter(expected).map(Envelope::id)
        .collect(Collectors.toSet());
    List<String> got = walk(filter, now, () -> { });
    assertEquals(want, new HashSet<>(got), filter.toString());
    assertEquals(got.size(), new HashSet<>(got).size());
    boolean nowhere = filter.domain() != null && filter.domain().startsWith("nowhere");
    assertTrue(nowhere || !want.isEmpty(), "the case tests something: " + filter);
  }

  @Test
  void onePageExaminesABoundedNumberOfSlots() {
    QueueIndex small = new QueueIndex(1000);
    for (int n = 0; n < 10_000; n++) {
      String domain = n == 9_999 ? "rare.test" : "bulk.test";
      small.stored(Envelopes.envelope(id(n), "s@sender.test", T0, T0, "r@" + domain));
    }
    Filter rare = new Filter("rare.test", null, null, null, 0, 0);
    Page first = small.page(rare, 0, 10, T0);
    assertEquals(List.of(), first.ids());
    assertEquals(1000, first.nextCursor(), "gave up after the bound, with where to go on");
    long cursor = first.nextCursor();
    List<String> found = new ArrayList<>();
    int calls = 1;
    while (cursor != -1) {
      Page page = small.page(rare, cursor, 10, T0);
      found.addAll(page.ids());
      cursor = page.nextCursor();
      calls++;
    }
    assertEquals(List.of(id(9_999)), found);
    assertEquals(10, calls);
  }

  @Test
  void aFullPageStopsAtItsLimitAndBadArgumentsAreRefused() {
    fill(0, 50);
    Page page = index.page(Filter.ANY, 0, 20, T0);
    assertEquals(20, page.ids().size());
    assertEquals(20, page.nextCursor());
    assertEquals(new Page(List.of(), -1), index.page(Filter.ANY, -1, 20, T0));
    assertEquals(new Page(List.of(), -1), index.page(Filter.ANY, 50, 20, T0));
    assertEquals(30, index.page(null, 20, 100, T0).ids().size());
    assertThrows(IllegalArgumentException.class, () -> index.page(Filter.ANY, 0, 0, T0));
  }
}
