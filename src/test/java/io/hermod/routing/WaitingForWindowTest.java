package io.hermod.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The router's stand-in for the queue index's READY messages: oldest first, bounded, counted. */
class WaitingForWindowTest {

  @Test
  void oldestFirstEachOnceAndCounted() {
    WaitingForWindow w = new WaitingForWindow(10);
    w.add("a");
    w.add("b");
    w.add("a"); // a second trigger of the same message
    w.add("c");
    assertEquals(3, w.size());
    assertEquals("a", w.poll());
    w.remove("c"); // taken by another path (the scan, an operator bounce)
    assertEquals(1, w.size());
    assertEquals("b", w.poll());
    assertNull(w.poll());
    assertEquals(0, w.size());
  }

  @Test
  void boundedBeyondTheCapacityTheScanFindsThem() {
    WaitingForWindow w = new WaitingForWindow(2);
    w.add("a");
    w.add("b");
    w.add("c");
    assertEquals(2, w.size());
    assertEquals("a", w.poll());
    assertEquals("b", w.poll());
    assertNull(w.poll());
  }
}
