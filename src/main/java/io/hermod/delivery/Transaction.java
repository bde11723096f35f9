package io.hermod.delivery;

import java.util.List;
import java.util.Objects;

/**
 * One outbound mail transaction.
 *
 * @param sender         the reverse-path, without angle brackets ("" for the null sender of a DSN)
 * @param recipients     at least one
 * @param mailParams     extra MAIL FROM parameters, e.g. "BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=x"; not SIZE
 *                       (the client adds SIZE itself); parameters of extensions the server lacks are dropped
 * @param size           the message size announced with SIZE (RFC 1870) and checked against the server's limit
 * @param needsSmtpUtf8  the envelope or headers need SMTPUTF8 (RFC 6531): fail with 5.6.7 if not offered
 * @param content        the message bytes, exactly as spooled (CRLF lines)
 */
public record Transaction(String sender, List<TxRecipient> recipients, String mailParams, long size,
                          boolean needsSmtpUtf8, ContentSource content) {

  public Transaction {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(content, "content");
    recipients = List.copyOf(recipients);
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("a transaction needs at least one recipient");
    }
    mailParams = mailParams == null ? "" : mailParams;
  }
}
