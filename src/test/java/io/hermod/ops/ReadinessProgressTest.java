package io.hermod.ops;

import io.hermod.server.ServerContext;
import io.hermod.spool.RecoveryProgress;
import io.hermod.testing.ForwardingSpool;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** While the spool recovers, the not-ready reason says how far it is. */
class ReadinessProgressTest {

  private static final class Recovering extends ForwardingSpool {
    volatile RecoveryProgress progress = RecoveryProgress.NONE;

    Recovering() {
      super(null); // only recoveryProgress() is asked
    }

    @Override
    public RecoveryProgress recoveryProgress() {
      return progress;
    }
  }

  @Test
  void theReasonShowsRecoveryProgressThenReadiness() {
    Recovering spool = new Recovering();
    Readiness readiness = new Readiness(spool, new ServerContext.Drain());
    assertEquals(Optional.of("starting: spool recovery not finished"), readiness.notReadyReason());
    spool.progress = new RecoveryProgress("scanning", 412_000, 31, 80);
    assertEquals(Optional.of("recovering: scanning, 412,000 messages, segment 31 of 80"),
        readiness.notReadyReason());
  }
}
