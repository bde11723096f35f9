package io.hermod;

import io.hermod.spool.Envelope;
import io.hermod.spool.MessageWriter;
import io.hermod.spool.Spool;
import io.hermod.spool.SpoolException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * A real spool whose commits fail on demand, the way a full or failing disk makes them fail: the message is
 * written through to the real spool, then at commit it is aborted there and the commit fails with
 * {@link SpoolException} ({@code FULL} or {@code IO_ERROR}). Only the Spool interface is used, so it does not
 * depend on the spool's file layout.
 */
final class FailingSpool implements Spool {

  private final Spool real;
  private volatile SpoolException.Reason commitFault;

  FailingSpool(Spool real) {
    this.real = real;
  }

  /** Every commit from now on fails with this reason; null = commits work again. */
  void failCommits(SpoolException.Reason reason) {
    commitFault = reason;
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
      public long size() {
        return writer.size();
      }

      @Override
      public Future<Envelope> commit(Envelope finalEnvelope) {
        SpoolException.Reason fault = commitFault;
        if (fault == null) {
          return writer.commit(finalEnvelope);
        }
        writer.abort();
        return Future.failedFuture(new SpoolException(fault, "injected commit failure (" + fault + ")", null));
      }

      @Override
      public void abort() {
        writer.abort();
      }
    };
  }

  @Override
  public Future<List<Envelope>> recover() {
    return real.recover();
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
