package io.hermod.compact;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdTableTest {

  private static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

  private static String randomId(Random random, long millis) {
    char[] id = new char[16];
    long t = millis;
    for (int i = 8; i >= 0; i--) {
      id[i] = ALPHABET.charAt((int) (t & 31));
      t >>>= 5;
    }
    for (int i = 9; i < 16; i++) {
      id[i] = ALPHABET.charAt(random.nextInt(32));
    }
    return new String(id);
  }

  @Test
  void idsRoundTripThroughTheirSlots() {
    IdTable table = new IdTable();
    int slot = table.add("01jbz4k8x3q7wm2a");
    assertEquals("01jbz4k8x3q7wm2a", table.idAt(slot));
    assertEquals(slot, table.slotOf("01jbz4k8x3q7wm2a"));
    assertEquals(slot, table.add("01jbz4k8x3q7wm2a"), "adding twice keeps the slot");
    assertEquals(1, table.size());
  }

  @Test
  void rejectsWhatIsNotAQueueId() {
    IdTable table = new IdTable();
    assertThrows(IllegalArgumentException.class, () -> table.add("01jbz4k8x3q7wm2A"));
    assertThrows(IllegalArgumentException.class, () -> table.add("01jbz4k8x3q7wmi"));
    assertThrows(IllegalArgumentException.class, () -> table.add(null));
    assertEquals(-1, table.slotOf("not an id"));
  }

  /** 10^5 ids added, half removed in random order, more added: every lookup agrees with a HashMap. */
  @Test
  void agreesWithAMapThroughChurn() {
    Random random = new Random(7);
    IdTable table = new IdTable();
    Map<String, Integer> expected = new HashMap<>();
    List<String> live = new ArrayList<>();
    long millis = 1_765_000_000_000L;
    for (int i = 0; i < 100_000; i++) {
      String id = randomId(random, millis + i / 50); // many ids share a millisecond, as in a burst
      expected.put(id, table.add(id));
      live.add(id);
    }
    for (int i = 0; i < 50_000; i++) {
      String id = live.remove(random.nextInt(live.size()));
      assertEquals(expected.remove(id), table.remove(id));
      assertEquals(-1, table.slotOf(id));
    }
    for (int i = 0; i < 30_000; i++) {
      String id = randomId(random, millis + 10_000_000 + i);
      expected.put(id, table.add(id));
    }
    assertEquals(expected.size(), table.size());
    for (Map.Entry<String, Integer> e : expected.entrySet()) {
      assertEquals(e.getValue(), table.slotOf(e.getKey()), e.getKey());
      assertEquals(e.getKey(), table.idAt(e.getValue()));
    }
    assertTrue(table.slotLimit() <= 100_000, "freed slots are reused: " + table.slotLimit());
  }

  @Test
  void aFreedSlotReadsEmptyUntilReused() {
    IdTable table = new IdTable();
    int a = table.add("01jbz4k8x3q7wm2a");
    table.add("01jbz4k8x3q7wm2b");
    table.remove("01jbz4k8x3q7wm2a");
    assertNull(table.idAt(a));
    assertFalse(table.used(a));
    assertEquals(a, table.add("01jbz4k8x3q7wm2c"));
  }

  @Test
  void aboutTwentyBytesAnIdAtDepth() {
    IdTable table = new IdTable();
    Random random = new Random(1);
    for (int i = 0; i < 1_000_000; i++) {
      table.add(randomId(random, 1_765_000_000_000L + i / 100));
    }
    assertTrue(table.memoryBytes() / table.size() <= 32, table.memoryBytes() / table.size() + " bytes an id");
  }
}
