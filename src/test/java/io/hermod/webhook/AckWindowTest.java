package io.hermod.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The cursor only moves over the contiguous acknowledged prefix: with batches (0,10], (10,20], (20,30] in flight,
 * acknowledgements in any order leave it where a restart re-sends nothing that was not acknowledged.
 */
class AckWindowTest {

  static Stream<Arguments> orders() {
    // batches end at 10, 20, 30 (start 0); acknowledgement order -> committable after each
    return Stream.of(
        Arguments.of(new long[] {10, 20, 30}, new long[] {10, 20, 30}),
        Arguments.of(new long[] {30, 20, 10}, new long[] {0, 0, 30}),
        Arguments.of(new long[] {20, 10, 30}, new long[] {0, 20, 30}),
        Arguments.of(new long[] {10, 30, 20}, new long[] {10, 10, 30}),
        Arguments.of(new long[] {30, 10, 20}, new long[] {0, 10, 30}));
  }

  @ParameterizedTest
  @MethodSource("orders")
  void commitsOnlyTheContiguousAcknowledgedPrefix(long[] acks, long[] expected) {
    AckWindow w = new AckWindow(0);
    w.dispatched(10);
    w.dispatched(20);
    w.dispatched(30);
    for (int i = 0; i < acks.length; i++) {
      assertEquals(expected[i], w.acknowledged(acks[i]), "after acknowledging " + acks[i]);
    }
    assertEquals(0, w.size());
    assertEquals(30, w.dispatchedUpTo());
  }

  @Test
  void aStuckHeadHoldsTheLaterAcknowledgedBatchesInTheWindow() {
    AckWindow w = new AckWindow(100);
    w.dispatched(110);
    w.dispatched(120);
    assertEquals(100, w.acknowledged(120));
    assertEquals(2, w.size(), "the acknowledged batch still counts against the concurrency until the head is done");
    assertEquals(120, w.acknowledged(110));
    assertEquals(0, w.size());
  }

  @Test
  void batchesMustFollowEachOtherAndAcknowledgementsMustMatchABatch() {
    AckWindow w = new AckWindow(5);
    assertThrows(IllegalArgumentException.class, () -> w.dispatched(5));
    w.dispatched(8);
    assertThrows(IllegalArgumentException.class, () -> w.dispatched(7));
    assertThrows(IllegalArgumentException.class, () -> w.acknowledged(7));
    assertEquals(8, w.acknowledged(8));
  }
}
