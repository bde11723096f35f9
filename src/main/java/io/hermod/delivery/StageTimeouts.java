package io.hermod.delivery;

/**
 * Per-stage timeouts of the outbound client, in milliseconds. Defaults follow RFC 5321 §4.5.3.2; the
 * stages the RFC does not name (connect, HELO, STARTTLS, RSET, QUIT) use Postfix's defaults.
 *
 * @param connectMs      TCP connect
 * @param greetingMs     the 220 greeting (RFC: 5 min)
 * @param heloMs         reply to EHLO/HELO
 * @param startTlsMs     reply to STARTTLS and the TLS handshake itself
 * @param mailMs         reply to MAIL (RFC: 5 min)
 * @param rcptMs         reply to each RCPT (RFC: 5 min)
 * @param dataInitMs     reply to DATA (RFC: 2 min)
 * @param dataBlockMs    each wait for the socket to drain while sending the body (RFC: 3 min)
 * @param dataEndMs      reply to the end of data / last BDAT (RFC: 10 min)
 * @param rsetMs         reply to RSET
 * @param quitMs         reply to QUIT
 */
public record StageTimeouts(long connectMs, long greetingMs, long heloMs, long startTlsMs, long mailMs, long rcptMs,
                            long dataInitMs, long dataBlockMs, long dataEndMs, long rsetMs, long quitMs) {

  private static final long MINUTE = 60_000;

  public StageTimeouts {
    for (long t : new long[] {connectMs, greetingMs, heloMs, startTlsMs, mailMs, rcptMs, dataInitMs, dataBlockMs,
        dataEndMs, rsetMs, quitMs}) {
      if (t <= 0) {
        throw new IllegalArgumentException("timeouts must be positive: " + t);
      }
    }
  }

  public static StageTimeouts rfc5321() {
    return new StageTimeouts(30_000, 5 * MINUTE, 5 * MINUTE, 5 * MINUTE, 5 * MINUTE, 5 * MINUTE,
        2 * MINUTE, 3 * MINUTE, 10 * MINUTE, 5 * MINUTE, 5 * MINUTE);
  }

  /**
   * The configured timeouts ({@code delivery.connectTimeoutSeconds}, {@code commandTimeoutSeconds},
   * {@code dataTimeoutSeconds}). With the shipped defaults (30, 300, 600) this equals {@link #rfc5321()}:
   * the DATA reply (RFC 5321 §4.5.3.2.4, 2 min) and each data block (§4.5.3.2.5, 3 min) keep their shorter
   * RFC values unless the configured timeout is shorter still.
   */
  public static StageTimeouts configured(int connectSeconds, int commandSeconds, int dataSeconds) {
    long command = commandSeconds * 1000L;
    long data = dataSeconds * 1000L;
    return new StageTimeouts(connectSeconds * 1000L, command, command, command, command, command,
        Math.min(2 * MINUTE, command), Math.min(3 * MINUTE, data), data, command, command);
  }

  /** Every stage the same (tests). */
  public static StageTimeouts uniform(long ms) {
    return new StageTimeouts(ms, ms, ms, ms, ms, ms, ms, ms, ms, ms, ms);
  }
}
