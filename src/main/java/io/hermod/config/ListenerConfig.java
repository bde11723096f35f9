package io.hermod.config;

/**
 * One SMTP listener.
 *
 * @param name  a label for logs and metrics ("name"); unique
 * @param host  address to bind ("host")
 * @param port  TCP port ("port"); 0 picks a free port (tests)
 * @param role  what the port is for ("role": "mx" or "submission")
 * @param tls   how TLS is offered ("tls": "starttls", "implicit" or "none"; default "starttls")
 * @param instances listener verticles sharing the port, one per event loop to use ("instances"; default 1);
 *                  Vert.x spreads the connections over them
 */
public record ListenerConfig(String name, String host, int port, Role role, Tls tls, int instances) {

  /** A listener with the default TLS mode, STARTTLS, and one instance. */
  public ListenerConfig(String name, String host, int port, Role role) {
    this(name, host, port, role, Tls.STARTTLS, 1);
  }

  /** A listener with one instance. */
  public ListenerConfig(String name, String host, int port, Role role, Tls tls) {
    this(name, host, port, role, tls, 1);
  }

  public enum Role {
    /** Port 25 style: mail from other servers, relay only for trusted networks or authenticated users. */
    MX,
    /** Port 587/465 style: mail from our own users; AUTH is required before MAIL (RFC 6409 §4.3). */
    SUBMISSION
  }

  public enum Tls {
    /** Plain connection, upgraded on STARTTLS (RFC 3207). */
    STARTTLS,
    /** TLS from the first byte (RFC 8314 §3, port 465). */
    IMPLICIT,
    /** No TLS; STARTTLS is not offered and AUTH is never possible. */
    NONE
  }
}
