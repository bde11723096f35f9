package io.hermod.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.config.FlowConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The delay as a function of the backlog and of how long it has been above the low mark (clock passed in). */
class FlowControlTest {

  // low 1,000, high 11,000, at most 1,000 ms, a 10 s burst allowance
  private static final FlowConfig SETTINGS = new FlowConfig(true, 1_000, 11_000, 1000, 10);

  @ParameterizedTest(name = "backlog {0}, {1} ms above the low mark: {2} ms")
  @CsvSource({
      // at or below the low mark: never a delay, however long
      "0,      60000, 0",
      "1000,   60000, 0",
      // above it, but for less than the burst allowance: absorbed in full, whatever its size
      "1001,   0,     0",
      "500000, 9999,  0",
      // past the allowance: linear from the low mark (0) to the high mark (maxDelayMillis)
      "1001,   10000, 1",     // any backlog above the mark gets at least a millisecond
      "6000,   10000, 500",
      "8500,   10000, 750",
      "11000,  10000, 1000",
      // beyond the high mark: the maximum, never more
      "500000, 10000, 1000",
  })
  void delayFollowsTheBacklog(long backlog, long aboveForMillis, long expected) {
    FlowControl flow = new FlowControl(SETTINGS);
    long start = 1_000_000;
    flow.delayMillis(backlog, start); // the backlog is there from now on
    assertEquals(expected, flow.delayMillis(backlog, start + aboveForMillis));
  }

  @Test
  void theBurstAllowanceRestartsOnlyWhenTheBacklogFallsToTheLowMark() {
    FlowControl flow = new FlowControl(SETTINGS);
    assertEquals(0, flow.delayMillis(6000, 0));
    assertEquals(0, flow.delayMillis(6000, 9_000));
    assertEquals(500, flow.delayMillis(6000, 10_000));
    // a dip inside the ramp: still engaged (hysteresis), the delay follows the backlog
    assertEquals(1, flow.delayMillis(1001, 11_000));
    assertEquals(500, flow.delayMillis(6000, 12_000));
    // back at the low mark: released; a new rise is a new burst, absorbed for another 10 s
    assertEquals(0, flow.delayMillis(1000, 13_000));
    assertEquals(0, flow.delayMillis(6000, 14_000));
    assertEquals(0, flow.delayMillis(6000, 23_999));
    assertEquals(500, flow.delayMillis(6000, 24_000));
  }

  @Test
  void withoutABurstAllowanceTheRampAppliesAtOnce() {
    FlowControl flow = new FlowControl(new FlowConfig(true, 1_000, 11_000, 1000, 0));
    assertEquals(500, flow.delayMillis(6000, 0));
  }

  @Test
  void offNeverDelaysNorRefuses() {
    FlowControl flow = new FlowControl(new FlowConfig(false, 1_000, 11_000, 1000, 0));
    assertEquals(0, flow.delayMillis(Long.MAX_VALUE / 2, 0));
    assertEquals(0, flow.delayMillis(Long.MAX_VALUE / 2, 100_000));
    assertFalse(flow.overloaded(Long.MAX_VALUE));
  }

  @Test
  void aReloadAppliesToTheNextDecision() {
    FlowControl flow = new FlowControl(new FlowConfig(true, 1_000, 11_000, 1000, 0));
    assertEquals(1000, flow.delayMillis(20_000, 0));
    flow.reconfigure(new FlowConfig(true, 1_000, 11_000, 200, 0));
    assertEquals(200, flow.delayMillis(20_000, 1));
    flow.reconfigure(new FlowConfig(false, 1_000, 11_000, 200, 0));
    assertEquals(0, flow.delayMillis(20_000, 2));
  }

  @ParameterizedTest(name = "backlog {0}: refused {1}")
  @CsvSource({"0, false", "11000, false", "21999, false", "22000, true", "9223372036854775807, true"})
  void aSubmissionIsRefusedAtTwiceTheHighMark(long backlog, boolean refused) {
    assertEquals(refused, new FlowControl(SETTINGS).overloaded(backlog));
  }

  @Test
  void theShippedDefaults() {
    FlowControl flow = new FlowControl(FlowConfig.DEFAULTS);
    assertEquals(0, flow.delayMillis(10_000, 0));
    assertEquals(0, flow.delayMillis(50_000, 0));
    assertEquals(0, flow.delayMillis(50_000, 9_999));
    assertEquals(1000, flow.delayMillis(50_000, 10_000));
    assertTrue(flow.overloaded(100_000));
  }
}
