package io.hermod.tlspolicy.web;

/** Why an HTTPS exchange of {@link HttpsClient} failed. */
public final class HttpsFailure extends Exception {

  private static final long serialVersionUID = 1L;

  /** What went wrong, from the host's address to the body's last byte. */
  public enum Kind {
    /** The host name has no address. */
    DNS,
    /** No TCP connection (refused, unreachable). */
    CONNECT,
    /** The certificate chain is not PKIX-valid for the host name. */
    CERTIFICATE,
    /** Over the time limit. */
    TIMEOUT,
    /** A status other than the one wanted (a redirect included: none is followed). */
    STATUS,
    /** The body is longer than the limit. */
    TOO_LARGE,
    /** The exchange broke off. */
    IO
  }

  private final Kind kind;

  public HttpsFailure(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
