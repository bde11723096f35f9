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
  private long idleSince;
  private boolean unverified;

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

  /** It went idle now: its last transaction ended cleanly ({@link ConnectionPool#giveBack}). */
  void wentIdle(long nanoTime) {
    idleSince = nanoTime;
  }

  /** How long it has been idle, as of {@code nanoTime}. */
  long idleNanos(long nanoTime) {
    return nanoTime - idleSince;
  }

  /** Reused without the RSET that would have proved it alive (see {@link DeliveryAttempt}). */
  boolean unverified() {
    return unverified;
  }

  void unverified(boolean value) {
    unverified = value;
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
