package io.hermod.compact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Bounds by count and by weight, oldest out first; values weigh their length. */
class RecentMapTest {

  /** (puts as key=value, then the keys held oldest first, and their weight) under 3 entries and weight 10. */
  private static final List<List<Object>> CASES = List.of(
      List.of("a=xx b=xxx", "a b", 5L),
      List.of("a=x b=x c=x d=x", "b c d", 3L), // the fourth entry drops the oldest
      List.of("a=xxxx b=xxxx c=xxxx", "b c", 8L), // weight 12 > 10: the oldest goes
      List.of("a=x b=x a=xx", "b a", 3L), // a new value of a key is its newest entry
      List.of("a=x b=xxxxxxxxxxx", "a", 1L), // heavier than the bound alone: not held
      List.of("a=x a=xxxxxxxxxxx", "", 0L), // ... and its older value goes
      List.of("a=xxxxxxxxxx b=x", "b", 1L)); // exactly the bound is held, until the next one

  @Test
  void keepsTheNewestWithinBothBounds() {
    for (List<Object> c : CASES) {
      RecentMap<String> map = new RecentMap<>(3, 10, String::length);
      for (String put : ((String) c.get(0)).split(" ")) {
        String[] kv = put.split("=");
        map.put(kv[0], kv[1]);
      }
      String expected = (String) c.get(1);
      assertEquals(expected.isEmpty() ? List.of() : List.of(expected.split(" ")), map.keys(), c.toString());
      assertEquals(c.get(2), map.weight(), c.toString());
      assertEquals(map.keys().size(), map.size());
    }
  }

  @Test
  void removeAndGetKeepTheWeight() {
    RecentMap<String> map = new RecentMap<>(3, 10, String::length);
    assertTrue(map.put("a", "xxx"));
    assertFalse(map.put("b", "x".repeat(11)));
    assertEquals("xxx", map.get("a"));
    assertEquals("xxx", map.remove("a"));
    assertNull(map.remove("a"));
    assertNull(map.get("a"));
    assertEquals(0, map.weight());
    assertEquals(0, map.size());
  }
}
