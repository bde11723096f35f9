package io.hermod.testing;

import io.hermod.spool.Envelope;
import io.hermod.spool.MessageWriter;
import io.hermod.spool.Spool;
import io.hermod.spool.SpoolObserver;
import io.vertx.core.Future;

import java.util.List;

/**
 * A spool that tells an observer (a QueueIndex) of each durable change before the change's future completes,
 * as the spool's own observer hook does, and refuses {@link #list()}: the queue tools must never walk the spool.
 */
public final class IndexedSpool extends ForwardingSpool {

  private final SpoolObserver observer;
  private volatile boolean listed;

  public IndexedSpool(Spool real, SpoolObserver observer) {
    super(real);
    this.observer = observer;
  }

  /** Whether anything called {@link #list()}. */
  public boolean listed() {
    return listed;
  }

  @Override
  protected Future<Envelope> commit(MessageWriter writer, Envelope envelope) {
    return writer.commit(envelope).map(stored -> {
      observer.stored(stored);
      return stored;
    });
  }

  @Override
  public Future<List<Envelope>> recover() {
    return real.recover().map(queued -> {
      queued.forEach(observer::stored);
      return queued;
    });
  }

  @Override
  public Future<Void> update(Envelope envelope) {
    return real.update(envelope).map(v -> {
      observer.stored(envelope);
      return v;
    });
  }

  @Override
  public Future<Void> remove(String id) {
    return real.remove(id).map(v -> {
      observer.removed(id);
      return v;
    });
  }

  @Override
  public Future<List<String>> list() {
    listed = true;
    return Future.failedFuture(new AssertionError("the queue was walked with Spool.list()"));
  }
}
