package io.hermod.delivery;

import io.hermod.smtp.ServerReply;

import java.util.List;

/**
 * The outcome of {@link SmtpClientSession#send(Transaction)}.
 *
 * @param mailReply        the reply to MAIL FROM, or null when nothing was sent (decided locally: SIZE, SMTPUTF8)
 * @param recipients       one per transaction recipient, in order
 * @param dataReply        the final reply to the message (end of data or last BDAT), or null when the body
 *                         was not sent
 * @param connectionUsable true when another transaction may follow on this connection
 */
public record TransactionResult(ServerReply mailReply, List<RecipientResult> recipients, ServerReply dataReply,
                                boolean connectionUsable) {

  public TransactionResult {
    recipients = List.copyOf(recipients);
  }

  public boolean sentToRemote() {
    return mailReply != null;
  }
}
