package io.hermod.delivery;

import io.hermod.smtp.ServerReply;

/**
 * The outcome for one recipient: its RCPT reply, or, when the RCPT was accepted, the end-of-data reply
 * (or the DATA reply when DATA itself was refused); the MAIL reply when MAIL was refused; a locally
 * generated reply when the transaction was not attempted.
 */
public record RecipientResult(TxRecipient recipient, ServerReply reply) {

  public boolean delivered() {
    return reply.code() / 100 == 2;
  }
}
