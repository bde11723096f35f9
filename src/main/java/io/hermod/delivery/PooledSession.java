package io.hermod.delivery;

/**
 * An open outbound session owned by a {@link ConnectionPool}: which destination's slot it holds, which host
 * it talks to, and how many transactions it has carried.
 */
final class PooledSession {

  private final String destination;
  private final DeliveryJob.Host host;
  private final SmtpClientSession session;
  private int transactions;
  private long idleTimer = -1;

  PooledSession(String destination, DeliveryJob.Host host, SmtpClientSession session) {
    this.destination = destination;
    this.host = host;
    this.session = session;
  }

  String destination() {
    return destination;
  }

  DeliveryJob.Host host() {
    return host;
  }

  SmtpClientSession session() {
    return session;
  }

  int transactions() {
    return transactions;
  }

  void countTransaction() {
    transactions++;
  }

  long idleTimer() {
    return idleTimer;
  }

  void idleTimer(long id) {
    idleTimer = id;
  }

  /**
   * Same address and port, and the TLS the session achieved satisfies the host's policy in the job
   * ({@link SessionTls#satisfies}): a pooled session to it can carry a job that lists this host.
   */
  boolean serves(DeliveryJob.Host h) {
    return reaches(h) && session.tls().satisfies(h.tls(), h.name());
  }

  /** Same address and port. */
  boolean reaches(DeliveryJob.Host h) {
    return host.address().equals(h.address()) && host.port() == h.port();
  }
}
