package io.hermod.testing;

import io.hermod.spool.Spool;
import io.hermod.spool.SpoolObserver;
import io.vertx.core.Future;

import java.util.List;

/**
 * A spool whose durable changes an observer (a QueueIndex) follows, through the spool's own observer hook, and
 * which refuses {@link #list()}: the queue tools must never walk the spool.
 */
public final class IndexedSpool extends ForwardingSpool {

  private volatile boolean listed;

  public IndexedSpool(Spool real, SpoolObserver observer) {
    super(real);
    real.observe(observer);
  }

  /** Whether anything called {@link #list()}. */
  public boolean listed() {
    return listed;
  }

  @Override
  public Future<List<String>> list() {
    listed = true;
    return Future.failedFuture(new AssertionError("the queue was walked with Spool.list()"));
  }
}
