package io.hermod.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailureCounterTest {

  private final AtomicLong now = new AtomicLong(1_000_000);

  @Test
  void blocksAfterMaxFailuresWithinTheWindowAndForgetsAfterIt() {
    FailureCounter c = new FailureCounter(3, 300_000, 10, now::get);
    assertFalse(c.recordFailure("192.0.2.1"));
    assertFalse(c.recordFailure("192.0.2.1"));
    assertFalse(c.blocked("192.0.2.1"));
    assertTrue(c.recordFailure("192.0.2.1"));
    assertTrue(c.blocked("192.0.2.1"));
    assertFalse(c.blocked("192.0.2.2"));
    now.addAndGet(299_999);
    assertTrue(c.blocked("192.0.2.1"));
    now.addAndGet(1);
    assertFalse(c.blocked("192.0.2.1")); // the window, counted from the first failure, is over
    assertFalse(c.recordFailure("192.0.2.1"));
  }

  @Test
  void tracksAtMostMaxEntriesDroppingTheLeastRecentlySeen() {
    FailureCounter c = new FailureCounter(1, 300_000, 3, now::get);
    c.recordFailure("a");
    c.recordFailure("b");
    c.recordFailure("c");
    assertTrue(c.blocked("a")); // "a" is now the most recently seen
    c.recordFailure("d");       // drops "b"
    assertEquals(3, c.tracked());
    assertTrue(c.blocked("a"));
    assertFalse(c.blocked("b"));
    assertTrue(c.blocked("d"));
  }
}
