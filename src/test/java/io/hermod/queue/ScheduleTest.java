package io.hermod.queue;

import io.hermod.compact.IntColumn;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The timer wheel against a list sorted by time, under a random mix of adds, removals, pops and counts. */
class ScheduleTest {

  private final IntColumn time = new IntColumn();
  private final Schedule schedule = new Schedule(new IntColumn(Schedule.NONE), new IntColumn(Schedule.NONE),
      time::get);
  /** Slot to time, in the order added (a stable sort by time of this is the order due). */
  private final Map<Integer, Integer> model = new LinkedHashMap<>();
  private final Random random = new Random(3);

  @Test
  void popsInTimeOrderFirstInFirstOutWithinASecond() {
    int clock = 1_000;
    int nextSlot = 0;
    for (int step = 0; step < 20_000; step++) {
      int op = random.nextInt(10);
      if (op < 5) {
        // mostly ahead of the clock, sometimes behind it (a block already split), sometimes far ahead
        int t = clock + random.nextInt(op == 0 ? 20_000 : 300) - 50;
        int slot = nextSlot++;
        time.set(slot, t);
        schedule.add(slot);
        model.put(slot, t);
      } else if (op < 7 && !model.isEmpty()) {
        int slot = new ArrayList<>(model.keySet()).get(random.nextInt(Math.min(model.size(), 50)));
        schedule.remove(slot);
        model.remove(slot);
      } else if (op < 9) {
        clock += random.nextInt(20);
        int slot = schedule.firstUpTo(clock);
        assertEquals(expectedFirst(clock), slot, "first due at " + clock);
        if (slot != Schedule.NONE) {
          schedule.remove(slot);
          model.remove(slot);
        }
      } else {
        int limit = clock + random.nextInt(400) - 100;
        assertEquals(model.values().stream().filter(t -> t <= limit).count(), schedule.countUpTo(limit));
        if (!model.isEmpty()) {
          assertEquals(model.values().stream().min(Integer::compare).orElseThrow(), schedule.firstTime());
        }
      }
      assertEquals(model.size(), schedule.size());
    }
  }

  private int expectedFirst(int limit) {
    List<Map.Entry<Integer, Integer>> entries = new ArrayList<>(model.entrySet());
    entries.sort(Map.Entry.comparingByValue(Comparator.naturalOrder()));
    return entries.isEmpty() || entries.get(0).getValue() > limit ? Schedule.NONE : entries.get(0).getKey();
  }
}
