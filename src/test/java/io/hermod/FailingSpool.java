package io.hermod;

import io.hermod.spool.Envelope;
import io.hermod.spool.MessageWriter;
import io.hermod.spool.Spool;
import io.hermod.testing.ForwardingSpool;
import io.hermod.spool.SpoolException;
import io.vertx.core.Future;

/**
 * A real spool whose commits fail on demand, the way a full or failing disk makes them fail: the message is
 * written through to the real spool, then at commit it is aborted there and the commit fails with
 * {@link SpoolException} ({@code FULL} or {@code IO_ERROR}). Only the Spool interface is used, so it does not
 * depend on the spool's file layout.
 */
final class FailingSpool extends ForwardingSpool {

  private volatile SpoolException.Reason commitFault;

  FailingSpool(Spool real) {
    super(real);
  }

  /** Every commit from now on fails with this reason; null = commits work again. */
  void failCommits(SpoolException.Reason reason) {
    commitFault = reason;
  }

  @Override
  protected Future<Envelope> commit(MessageWriter writer, Envelope finalEnvelope) {
    SpoolException.Reason fault = commitFault;
    if (fault == null) {
      return writer.commit(finalEnvelope);
    }
    writer.abort();
    return Future.failedFuture(new SpoolException(fault, "injected commit failure (" + fault + ")", null));
  }
}
