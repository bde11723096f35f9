package io.hermod.delivery;

import java.util.Objects;

/**
 * One recipient of an outbound transaction.
 *
 * @param address    the forward-path mailbox, without angle brackets
 * @param rcptParams RCPT TO parameters as they go on the wire, e.g. "NOTIFY=FAILURE ORCPT=rfc822;x@y", or ""
 */
public record TxRecipient(String address, String rcptParams) {

  public TxRecipient {
    Objects.requireNonNull(address, "address");
    rcptParams = rcptParams == null ? "" : rcptParams;
  }

  public static TxRecipient of(String address) {
    return new TxRecipient(address, "");
  }
}
