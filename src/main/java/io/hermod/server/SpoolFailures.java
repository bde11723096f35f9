package io.hermod.server;

import io.hermod.smtp.Replies;
import io.hermod.smtp.Reply;
import io.hermod.spool.SpoolException;

/** Maps a spool failure to the reply the client gets: the only place that decides it. */
final class SpoolFailures {

  private SpoolFailures() {
  }

  /** Disk full or over the high-water mark: 452 4.3.1; anything else: 451 4.3.0 (RFC 3463). */
  static Reply reply(Throwable err) {
    if (err instanceof SpoolException se && se.reason() == SpoolException.Reason.FULL) {
      return Replies.SPOOL_FULL;
    }
    return Replies.LOCAL_ERROR;
  }
}
