package io.hermod.api;

/**
 * Why a submission on {@link Addresses#SUBMIT} was refused: the failure code of the
 * {@link io.vertx.core.eventbus.ReplyException} the requester gets. The only place that maps a refusal to a code
 * (HTTP-like numbers, so application code can branch on "4xx: fix the request" and "5xx: try again").
 */
public enum SubmitFailure {

  /** Malformed request: bad or missing address, bad DSN field, bare CR/LF, line too long, too many recipients. */
  BAD_REQUEST(400),
  /** The message is larger than {@code limits.maxMessageSize}. */
  TOO_LARGE(413),
  /** The spool is failing (I/O error, closing): nothing was queued; the submitter may retry. */
  SPOOL_ERROR(500),
  /** Over the spool's high-water mark, disk full, or too many submissions in flight: retry later. */
  RETRY_LATER(503);

  private final int code;

  SubmitFailure(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** True for the codes where the same request may succeed later unchanged. */
  public static boolean isRetryable(int code) {
    return code == SPOOL_ERROR.code || code == RETRY_LATER.code;
  }
}
