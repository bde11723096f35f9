package io.hermod.submit;

import io.hermod.spool.Envelope;
import io.hermod.spool.MessageWriter;
import io.hermod.spool.Spool;
import io.hermod.testing.ForwardingSpool;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A real spool with two switches for tests: report "over high water" on demand, and hold commits until the
 * test releases them (so a test can observe what happens while a commit is pending).
 */
final class HoldingSpool extends ForwardingSpool {

  private final Semaphore commitsArrived = new Semaphore(0);
  private final List<Runnable> held = new ArrayList<>();
  private volatile boolean overHighWater;
  private volatile boolean holdCommits;

  HoldingSpool(Spool real) {
    super(real);
  }

  void overHighWater(boolean over) {
    overHighWater = over;
  }

  void holdCommits() {
    holdCommits = true;
  }

  /** Blocks the test thread until {@code n} commits are being held. */
  void awaitHeldCommits(int n) throws InterruptedException {
    if (!commitsArrived.tryAcquire(n, 20, TimeUnit.SECONDS)) {
      throw new AssertionError("fewer than " + n + " commits arrived");
    }
  }

  /** Lets every held commit (and later ones) go through to the real spool. */
  synchronized void releaseCommits() {
    holdCommits = false;
    held.forEach(Runnable::run);
    held.clear();
  }

  private synchronized Future<Envelope> commitLater(MessageWriter writer, Envelope envelope) {
    Context context = Vertx.currentContext();
    Promise<Void> release = Promise.promise();
    held.add(() -> context.runOnContext(v -> release.complete()));
    commitsArrived.release();
    return release.future().compose(v -> writer.commit(envelope));
  }

  @Override
  protected Future<Envelope> commit(MessageWriter writer, Envelope envelope) {
    return holdCommits ? commitLater(writer, envelope) : writer.commit(envelope);
  }

  @Override
  public boolean overHighWater() {
    return overHighWater || real.overHighWater();
  }
}
