package io.hermod.config;

/**
 * One SMTP listener.
 *
 * @param name  a label for logs and metrics ("name"); unique
 * @param host  address to bind ("host")
 * @param port  TCP port ("port"); 0 picks a free port (tests)
 * @param role  what the port is for ("role": "mx" or "submission")
 */
public record ListenerConfig(String name, String host, int port, Role role) {

  public enum Role {
    /** Port 25 style: mail from other servers, relay only for trusted networks. */
    MX,
    /** Port 587 style: mail from our own users (AUTH required once the security work lands). */
    SUBMISSION
  }
}
