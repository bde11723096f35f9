package io.hermod.delivery;

import io.hermod.smtp.ServerReply;

/**
 * A session-level failure of the outbound client: the whole attempt failed, not a single recipient. The
 * socket is already closed when one of these is seen. {@link #asReply()} gives the reply to record for
 * every recipient of the attempt.
 */
public final class SmtpClientException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** TCP connect failed or timed out. */
    CONNECT_FAILED,
    /** The server greeted with 4xx/5xx (e.g. 421, 554); {@link #reply()} holds it. */
    GREETING_REJECTED,
    /** The server refused EHLO and HELO; {@link #reply()} holds it. */
    REJECTED,
    /** No (complete) answer within the stage's timeout. */
    TIMEOUT,
    /** The server closed the connection (or it broke) before answering. */
    CONNECTION_DROPPED,
    /** The server sent something that is not SMTP (malformed or oversized reply). */
    PROTOCOL_ERROR,
    /**
     * The host's TLS policy was not met: STARTTLS not offered or refused, the handshake failed, or the
     * certificate check failed; {@link #reply()} holds our local 4.7.x naming the policy (null at {@code may}).
     */
    TLS_FAILED,
    /** Reading the content to send failed (e.g. the spool file); not the peer's fault. */
    CONTENT_FAILED
  }

  private final Kind kind;
  private final Stage stage;
  private final ServerReply reply;

  public SmtpClientException(Kind kind, Stage stage, ServerReply reply, String message, Throwable cause) {
    super(kind + " at " + stage + ": " + message, cause);
    this.kind = kind;
    this.stage = stage;
    this.reply = reply;
  }

  public Kind kind() {
    return kind;
  }

  public Stage stage() {
    return stage;
  }

  /** The server's reply that caused the failure, or null when there was none. */
  public ServerReply reply() {
    return reply;
  }

  /**
   * The reply to record for the recipients of the failed attempt: the server's when it gave one, else a
   * local 4xx (RFC 3463: 4.4.1 no answer, 4.4.2 connection dropped, 4.5.0 protocol error, 4.7.4 TLS).
   */
  public ServerReply asReply() {
    if (reply != null) {
      return reply;
    }
    String where = " (" + stage.name().toLowerCase(java.util.Locale.ROOT) + ")";
    switch (kind) {
      case CONNECT_FAILED:
        return ServerReply.local(451, "4.4.1", "connection failed" + where);
      case TIMEOUT:
        return ServerReply.local(451, "4.4.1", "no answer from host" + where);
      case CONNECTION_DROPPED:
        return ServerReply.local(451, "4.4.2", "connection dropped" + where);
      case PROTOCOL_ERROR:
        return ServerReply.local(451, "4.5.0", "protocol error from host" + where);
      case TLS_FAILED:
        return ServerReply.local(451, "4.7.4", "TLS required but not available" + where);
      default:
        return ServerReply.local(451, "4.3.0", getMessage());
    }
  }
}
