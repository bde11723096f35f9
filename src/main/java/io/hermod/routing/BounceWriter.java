package io.hermod.routing;

import io.hermod.delivery.DsnBuilder;
import io.hermod.delivery.DsnMessage;
import io.hermod.delivery.DsnRequest;
import io.hermod.delivery.RecipientReport;
import io.hermod.delivery.RetrySchedule;
import io.hermod.spool.Envelope;
import io.hermod.spool.MessageWriter;
import io.hermod.spool.Spool;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.time.Instant;
import java.util.List;

/**
 * Spools a DSN (RFC 3464) about some recipients of a message as a new message from the null sender: head,
 * the original streamed from the spool when RET=FULL, tail, commit. Its future succeeds only once the DSN
 * is durable, so the caller may then record the failures and remove the original.
 */
public final class BounceWriter {

  private final Spool spool;
  private final SpooledContent contents;
  private final DsnBuilder builder;
  private final RetrySchedule schedule;
  private final String reportingMta;

  BounceWriter(Spool spool, SpooledContent contents, DsnBuilder builder, RetrySchedule schedule,
               String reportingMta) {
    this.spool = spool;
    this.contents = contents;
    this.builder = builder;
    this.schedule = schedule;
    this.reportingMta = reportingMta;
  }

  /** Returns the queue id of the committed DSN. */
  Future<String> write(Envelope original, Spool.Content content, List<RecipientReport> reports, Instant now) {
    return write(spool.newId(), original, content, reports, now);
  }

  /** As above, under a queue id the caller reserved ({@link Spool#newId()}), e.g. one recorded before. */
  Future<String> write(String dsnId, Envelope original, Spool.Content content, List<RecipientReport> reports,
                       Instant now) {
    return contents.headers(content).compose(headers -> {
      DsnMessage dsn = builder.build(new DsnRequest(reportingMta, original, reports, headers,
          schedule.expiry(original.arrival()), now));
      Envelope envelope = DsnBuilder.bounceEnvelope(dsnId, original, dsn, now);
      MessageWriter writer = spool.begin(envelope);
      Future<Void> body = writer.write(Buffer.buffer(dsn.head()));
      if (dsn.streamsOriginal()) {
        body = body.compose(v -> contents.copyTo(content, writer));
      }
      return body.compose(v -> writer.write(Buffer.buffer(dsn.tail())))
          .compose(v -> writer.commit(envelope))
          .map(Envelope::id)
          .onFailure(e -> writer.abort());
    });
  }
}
