package io.hermod.shaping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SiteHealthTest {

  private final SiteHealth.Settings settings = new SiteHealth.Settings(5, 1, 1000, 4000);

  @Test
  void theWindowOpensByOneForEachSuccessUpToTheCapAndClosesToOneOnAFailure() {
    SiteHealth h = new SiteHealth(settings);
    assertEquals(5, h.allowed(20, 0));
    assertEquals(3, h.allowed(3, 0), "never above the cap");
    h.reached(20);
    h.reached(20);
    assertEquals(7, h.allowed(20, 0));
    h.unreachable("451 4.4.1 refused", 20, 0);
    assertEquals(1, h.allowed(20, 0));
    assertFalse(h.dead(), "one failure of a cohort of 7 is not a dead site");
  }

  @Test
  void aFailedCohortKillsTheSiteThenOneProbePerIntervalDoublingUntilOneReachesIt() {
    SiteHealth h = new SiteHealth(settings);
    for (int i = 0; i < 4; i++) {
      assertEquals(SiteHealth.Change.NONE, h.unreachable("451 4.4.1 refused", 20, 0));
    }
    assertEquals(SiteHealth.Change.DIED, h.unreachable("451 4.4.1 refused", 20, 0), "the cohort was the window: 5");
    assertTrue(h.dead());
    assertEquals("451 4.4.1 refused", h.lastError());
    assertEquals(0, h.allowed(20, 999), "no connection before the probe time");
    assertEquals(1, h.allowed(20, 1000), "one probe");
    h.started();
    assertEquals(0, h.allowed(20, 1000), "while the probe is out, nothing else");
    h.unreachable("451 4.4.1 timed out", 20, 1500);
    assertEquals(0, h.allowed(20, 3499));
    assertEquals(1, h.allowed(20, 3500), "the interval doubled: 2 s");
    h.started();
    h.unreachable("x", 20, 3500);
    h.started();
    h.unreachable("x", 20, 3500 + 4000);
    assertEquals(1, h.allowed(20, 7500 + 4000), "capped at maxProbe: 4 s");
    h.started();
    assertEquals(SiteHealth.Change.REVIVED, h.reached(20));
    assertEquals(5, h.allowed(20, 0), "revived at the initial window");
  }

  @Test
  void aProbeThatWasNotAttemptedMayGoAgain() {
    SiteHealth h = new SiteHealth(new SiteHealth.Settings(1, 2, 1000, 1000));
    h.unreachable("x", 20, 0);
    assertFalse(h.dead(), "two cohorts of one are needed");
    h.unreachable("x", 20, 0);
    assertTrue(h.dead());
    h.started();
    h.notAttempted();
    assertEquals(1, h.allowed(20, 1000));
  }

  @Test
  void offMeansTheCapAndNeverDead() {
    SiteHealth h = new SiteHealth(SiteHealth.Settings.OFF);
    for (int i = 0; i < 100; i++) {
      h.unreachable("x", 20, 0);
    }
    assertFalse(h.dead());
    assertEquals(20, h.allowed(20, 0));
  }
}
