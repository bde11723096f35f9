package io.hermod.server;

import io.hermod.smtp.Reply;

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
}
