package io.hermod.routing;

import io.hermod.async.SerialQueue;
import io.hermod.spool.Envelope;
import io.hermod.spool.Spool;
import io.vertx.core.Future;

import java.util.function.Supplier;

/**
 * One message in the active window: its current envelope and the work still out for it. Several
 * destinations of one message may report at once; {@link #serially} runs their envelope updates one after
 * another, because spool updates of one message must not overlap (docs/spool.md).
 */
final class ActiveMessage {

  final Spool.Content content;
  private Envelope envelope;
  private int outstanding;
  private final SerialQueue updates = new SerialQueue();

  ActiveMessage(Envelope envelope, Spool.Content content) {
    this.envelope = envelope;
    this.content = content;
  }

  Envelope envelope() {
    return envelope;
  }

  void envelope(Envelope updated) {
    envelope = updated;
  }

  String id() {
    return envelope.id();
  }

  /** Runs {@code step} after every step queued before it, whatever their outcome. */
  Future<Void> serially(Supplier<Future<Void>> step) {
    return updates.submit(step);
  }

  void expect(int rounds) {
    outstanding += rounds;
  }

  /** Marks one round (a job's report, or the DNS failures) as recorded; true when none is left. */
  boolean roundDone() {
    return --outstanding == 0;
  }
}
