package io.hermod.queue;

import io.hermod.spool.Envelope;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.hermod.queue.Envelopes.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Counts, states and shapes against brute force over the envelopes, after a random mix of everything. */
class QueueIndexCountsTest {

  private static final int DEPTH = 100_000;
  private static final List<Instant> NOWS = List.of(T0.minusSeconds(7200), T0.minusSeconds(1), T0,
      T0.plusSeconds(1234), T0.plusSeconds(86_400));

  private final QueueIndex index = new QueueIndex();
  private final Model model = new Model();
  private final Random random = new Random(42);

  @Test
  void countsStatesAndShapesMatchBruteForce() {
    for (int n = 0; n < DEPTH; n++) {
      model.stored(index, Envelopes.random(n, random));
      if (random.nextInt(10) < 7) {
        site(Envelopes.id(n), "mx:" + random.nextInt(12));
      }
    }
    check();
    for (int i = 0; i < 20_000; i++) {
      step(Envelopes.id(random.nextInt(DEPTH + 2000)));
    }
    check();
  }

  private void site(String id, String site) {
    index.site(id, site);
    if (index.siteOf(id) != null || site == null) {
      model.sites.put(id, site == null ? QueueIndex.UNROUTED : site);
    }
  }

  /** One random change to {@code id} (which may not be queued), mirrored in the model. */
  private void step(String id) {
    Envelope env = model.envelopes.get(id);
    int op = random.nextInt(8);
    if (env == null) {
      model.stored(index, Envelopes.random(DEPTH + random.nextInt(2000), random));
      return;
    }
    switch (op) {
      case 0 -> model.removed(index, id);
      case 1 -> model.stored(index, env.withNextAttempt(T0.plusSeconds(random.nextInt(7200) - 3600)));
      case 2 -> model.stored(index, env.withHeld(!env.held()));
      case 3 -> model.stored(index, Envelopes.delivered(env, "d" + random.nextInt(30) + ".test"));
      case 4 -> site(id, random.nextBoolean() ? null : "mx:" + random.nextInt(12));
      case 5 -> model.taken.addAll(index.takeDue(T0.plusSeconds(random.nextInt(3600) - 1800), 5));
      case 6 -> {
        if (model.taken.contains(id) || index.take(id)) {
          model.taken.add(id);
          index.waitForSite(id);
          model.waiting.add(id);
        }
      }
      default -> {
        index.release(id);
        model.taken.remove(id);
        model.waiting.remove(id);
        List<String> back = random.nextBoolean()
            ? index.openSite("mx:" + random.nextInt(12), 20)
            : index.takeWaitingArrivedBefore(T0.minusSeconds(random.nextInt(18_000)), 20);
        model.waiting.removeAll(back);
      }
    }
  }

  private void check() {
    for (Instant now : NOWS) {
      assertEquals(model.counts(now), index.counts(now), "counts at " + now);
      assertEquals(model.shape(now, false), index.shape(now, false, 1000), "shape by domain at " + now);
      assertEquals(model.shape(now, true), index.shape(now, true, 1000), "shape by site at " + now);
    }
    List<String> wrong = new ArrayList<>();
    for (String id : model.envelopes.keySet()) {
      if (!index.state(id, T0).orElseThrow().equals(model.state(id, T0))) {
        wrong.add(id);
      }
    }
    assertEquals(List.of(), wrong, "states at T0");
    assertEquals(model.envelopes.size(), index.size());
  }

  @Test
  void aShapeShowsTheLargestRowsAndHowManyMore() {
    for (int n = 0; n < 1000; n++) {
      model.stored(index, Envelopes.random(n, random));
    }
    var full = index.shape(T0, false, 1000);
    var top = index.shape(T0, false, 5);
    assertEquals(full.getJsonArray("rows").getList().subList(0, 5), top.getJsonArray("rows").getList());
    assertEquals(full.getJsonArray("rows").size() - 5, top.getInteger("more"));
    assertEquals(full.getJsonObject("total"), top.getJsonObject("total"));
  }

  @Test
  void aShapeOfDaysFoldsOldArrivalsYetMatchesBruteForce() {
    for (int n = 0; n < 20_000; n++) {
      Envelope env = Envelopes.random(n, random);
      model.stored(index, Envelopes.envelope(env.id(), env.sender(), T0.minusSeconds(60L * random.nextInt(4 * 1440)),
          env.nextAttempt(), env.recipients().stream().map(r -> r.address()).toArray(String[]::new)));
    }
    for (int n = 0; n < 20_000; n += 3) {
      model.removed(index, Envelopes.id(n));
    }
    for (Instant now : List.of(T0, T0.plusSeconds(3 * 3600))) {
      assertEquals(model.shape(now, false), index.shape(now, false, 1000), "shape by domain at " + now);
      assertEquals(model.shape(now, true), index.shape(now, true, 1000), "shape by site at " + now);
    }
    Instant later = T0.plusSeconds(2 * 86_400);
    model.stored(index, Envelopes.envelope(Envelopes.id(99_999), "s@sender.test", later, later, "r@d1.test"));
    assertEquals(model.shape(later, false), index.shape(later, false, 1000), "after a fold");
  }
}
