package io.hermod.testing;

import io.hermod.spool.Envelope;
import io.hermod.spool.MessageWriter;
import io.hermod.spool.RecoveryProgress;
import io.hermod.spool.Spool;
import io.hermod.spool.SpoolObserver;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * A spool that hands everything to a real one; test decorators override what they change (the commit of a
 * message, the high-water answer) and inherit the rest. Uses only the Spool interface, never the layout.
 */
public abstract class ForwardingSpool implements Spool {

  protected final Spool real;

  protected ForwardingSpool(Spool real) {
    this.real = real;
  }

  /** The commit of one message written through {@code writer}; by default the real one. */
  protected Future<Envelope> commit(MessageWriter writer, Envelope envelope) {
    return writer.commit(envelope);
  }

  @Override
  public MessageWriter begin(Envelope envelope) {
    MessageWriter writer = real.begin(envelope);
    return new MessageWriter() {
      @Override
      public Future<Void> write(Buffer data) {
        return writer.write(data);
      }

      @Override
      public Future<Void> writeImmutable(byte[] bytes, int from, int to) {
        return writer.writeImmutable(bytes, from, to); // the real writer's view path, not the default's copy
      }

      @Override
      public long size() {
        return writer.size();
      }

      @Override
      public Future<Envelope> commit(Envelope finalEnvelope) {
        return ForwardingSpool.this.commit(writer, finalEnvelope);
      }

      @Override
      public void abort() {
        writer.abort();
      }
    };
  }

  @Override
  public void observe(SpoolObserver observer) {
    real.observe(observer);
  }

  @Override
  public Future<Long> recover() {
    return real.recover();
  }

  @Override
  public RecoveryProgress recoveryProgress() {
    return real.recoveryProgress();
  }

  @Override
  public String newId() {
    return real.newId();
  }

  @Override
  public Future<Void> update(Envelope envelope) {
    return real.update(envelope);
  }

  @Override
  public Future<Envelope> load(String id) {
    return real.load(id);
  }

  @Override
  public Future<Content> content(String id) {
    return real.content(id);
  }

  @Override
  public Future<Void> remove(String id) {
    return real.remove(id);
  }

  @Override
  public Future<List<String>> list() {
    return real.list();
  }

  @Override
  public boolean overHighWater() {
    return real.overHighWater();
  }

  @Override
  public Usage usage() {
    return real.usage();
  }

  @Override
  public Future<Void> close() {
    return real.close();
  }
}
