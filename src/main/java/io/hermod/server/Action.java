package io.hermod.server;

import io.hermod.smtp.Reply;
import io.vertx.core.Future;
import io.vertx.core.net.ServerSSLOptions;

/** What the connection does after the session handled a command. */
sealed interface Action {

  /** Send the reply and read the next command. */
  record Respond(Reply reply) implements Action {
  }

  /** Send the reply and close the connection. */
  record Close(Reply reply) implements Action {
  }

  /** Send 354 and read DATA content into the receiver until the end-of-data line. */
  record ReadData(MessageReceiver receiver) implements Action {
  }

  /**
   * Read exactly {@code size} BDAT octets (RFC 3030 §2), into the receiver, or dropped when the receiver is
   * null; then ask the session for the reply ({@link SmtpSession#endOfChunk}).
   */
  record ReadChunk(long size, boolean last, MessageReceiver receiver) implements Action {
  }

  /** Send the reply when the future completes (AUTH waits on the password check); read nothing meanwhile. */
  record Await(Future<Reply> reply) implements Action {
  }

  /**
   * Carry out the action when the future completes (MAIL waiting on SPF, a delayed AUTH refusal that may
   * close); read nothing meanwhile. A failed future answers 451.
   */
  record Later(Future<Action> action) implements Action {
  }

  /**
   * RFC 3207: drop every unread byte, then upgrade the socket with {@code ready} (220) written by the
   * upgrade itself, and tell the session ({@link SmtpSession#tlsStarted}) when the handshake is done.
   */
  record StartTls(Reply ready, ServerSSLOptions options) implements Action {
  }

  /** RFC 4954 §4: send a 334 challenge; the next line is a SASL response for {@link SmtpSession#authResponse}. */
  record Challenge(Reply challenge) implements Action {
  }
}
