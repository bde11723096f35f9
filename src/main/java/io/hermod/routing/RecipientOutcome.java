package io.hermod.routing;

import io.hermod.spool.Recipient;

/**
 * One recipient's outcome of a delivery round, as recorded in the envelope and published as an event.
 *
 * @param recipient  the recipient with its new state, attempts and last reply
 * @param kind       what happened (the event's "outcome")
 * @param remoteHost the host that answered, or null (DNS failure, local decision)
 * @param code       reply code
 * @param status     enhanced status code (RFC 3463)
 * @param text       reply text
 */
public record RecipientOutcome(Recipient recipient, Kind kind, String remoteHost, int code, String status,
                               String text) {

  public enum Kind {
    DELIVERED, DEFERRED, BOUNCED, EXPIRED;

    /** Made once: every recipient outcome asks for it two or three times (event, metrics, log). */
    private final String keyword = name().toLowerCase(java.util.Locale.ROOT);

    /** The event's "outcome" value. */
    public String keyword() {
      return keyword;
    }
  }
}
