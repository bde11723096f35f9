package io.hermod.ops;

import io.hermod.server.ServerContext;
import io.hermod.spool.RecoveryProgress;
import io.hermod.spool.Spool;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.Optional;

/**
 * Whether this instance should get traffic (the readiness probe): only after spool recovery, not while the
 * spool is over its high-water mark, not while draining for shutdown. Read from any thread.
 */
public final class Readiness {

  private final Spool spool;
  private final ServerContext.Drain drain;
  private volatile boolean recovered;
  private final Promise<Void> recoveredOnce = Promise.promise();

  public Readiness(Spool spool, ServerContext.Drain drain) {
    this.spool = spool;
    this.drain = drain;
  }

  /** Called once the spool is recovered and every role is deployed. */
  public void recovered() {
    recovered = true;
    recoveredOnce.tryComplete();
  }

  /** Completes once {@link #recovered} was called (e.g. to resume bulk jobs then). */
  public Future<Void> whenRecovered() {
    return recoveredOnce.future();
  }

  public boolean isRecovered() {
    return recovered;
  }

  /** Empty when ready, else why not (a fixed, short reason for the probe's JSON). */
  public Optional<String> notReadyReason() {
    if (!recovered) {
      RecoveryProgress progress = spool.recoveryProgress();
      return Optional.of(progress.running() ? progress.describe() : "starting: spool recovery not finished");
    }
    if (drain.draining()) {
      return Optional.of("draining: shutting down");
    }
    if (spool.overHighWater()) {
      return Optional.of("spool over its high-water mark");
    }
    return Optional.empty();
  }
}
