package io.hermod.tls;

import javax.net.ssl.SSLSession;

/**
 * Whether a completed TLS handshake was a full one (certificate, key exchange with the server's private key) or
 * resumed an earlier session (a TLS 1.3 pre-shared key from a session ticket, a TLS 1.2 session ticket or session
 * id), which skips the certificate and the private-key operation.
 */
public enum Handshake {
  FULL("full"),
  RESUMED("resumed");

  private final String tag;

  Handshake(String tag) {
    this.tag = tag;
  }

  /** The metrics tag value. */
  public String tag() {
    return tag;
  }

  /**
   * By the session's times: a new session is created by its handshake and has not been accessed since
   * ({@code getLastAccessedTime() == getCreationTime()}); a connection that joins an earlier session updates
   * its last access time (SSLSession#getLastAccessedTime: "the last time a connection was established using
   * this session") and keeps the earlier creation time. With the JDK provider a resumed TLS 1.3 session is a new
   * object carrying the original's creation time, a resumed TLS 1.2 session the cached one: both show a last
   * access after their creation. A resumption within the millisecond of the original handshake counts as full.
   */
  public static Handshake of(SSLSession session) {
    return session.getLastAccessedTime() > session.getCreationTime() ? RESUMED : FULL;
  }
}
