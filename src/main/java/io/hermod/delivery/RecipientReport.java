package io.hermod.delivery;

import io.hermod.smtp.ServerReply;
import io.hermod.spool.Recipient;

import java.time.Instant;
import java.util.Objects;

/**
 * What a DSN says about one recipient (one per-recipient block, RFC 3464 §2.3).
 *
 * @param recipient      the envelope recipient (address and ORCPT)
 * @param action         what happened
 * @param status         the enhanced status code, RFC 3463 ("5.1.1", "4.4.7", "2.0.0")
 * @param remoteMta      the host name (or "[ip]") of the server that gave the reply, or null
 * @param diagnosticCode the reply with its type, e.g. "smtp; 550 5.1.1 user unknown", or null; without a
 *                       "type;" prefix "smtp; " is assumed. Untrusted: it is sanitised before use.
 * @param lastAttempt    when delivery to it was last attempted, or null
 */
public record RecipientReport(Recipient recipient, DsnAction action, String status, String remoteMta,
                              String diagnosticCode, Instant lastAttempt) {

  /** RFC 3463 §2: class "." subject "." detail. */

  public RecipientReport {
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(action, "action");
    if (!ServerReply.isEnhancedStatus(status)) {
      throw new IllegalArgumentException("not an RFC 3463 status code: " + status);
    }
  }
}
