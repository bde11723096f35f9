package io.hermod.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RetryBackoffTest {

  static Stream<Arguments> delays() {
    // initial, max, consecutive failures, random draw in [0, 1), expected delay
    return Stream.of(
        Arguments.of(1000, 300_000, 1, 0.0, 500),        // half the step at the lowest draw
        Arguments.of(1000, 300_000, 1, 0.999999, 999),   // just under the step at the highest
        Arguments.of(1000, 300_000, 2, 0.5, 1500),       // step 2000
        Arguments.of(1000, 300_000, 3, 0.0, 2000),       // step 4000
        Arguments.of(1000, 300_000, 9, 0.0, 128_000),    // step 256000
        Arguments.of(1000, 300_000, 10, 0.0, 150_000),   // capped at 300000
        Arguments.of(1000, 300_000, 10_000, 0.999999, 299_999), // no overflow however long the outage
        Arguments.of(1000, 1000, 5, 0.0, 500),           // initial == max: a constant step
        Arguments.of(10, 50, 4, 0.0, 25),                // 10, 20, 40, 80 -> 50
        Arguments.of(1, 1, 1, 0.999999, 0),              // the smallest step: half of 1 rounds down
        Arguments.of(1000, 300_000, 0, 0.5, 0));         // no failure, no wait
  }

  @ParameterizedTest(name = "{0}..{1} after {2} failure(s), draw {3}: {4} ms")
  @MethodSource("delays")
  void exponentialWithEqualJitterCapped(long initial, long max, int failures, double draw, long expected) {
    assertEquals(expected, new RetryBackoff(initial, max, () -> draw).delayMillis(failures));
  }

  @Test
  void theStepDoublesUpToTheMax() {
    RetryBackoff b = new RetryBackoff(1000, 10_000, () -> 0.0);
    long[] steps = new long[6];
    for (int i = 0; i < steps.length; i++) {
      steps[i] = b.step(i + 1);
    }
    org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {1000, 2000, 4000, 8000, 10_000, 10_000}, steps);
  }

  @Test
  void nonsenseBoundsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new RetryBackoff(0, 10, () -> 0));
    assertThrows(IllegalArgumentException.class, () -> new RetryBackoff(10, 5, () -> 0));
  }
}
