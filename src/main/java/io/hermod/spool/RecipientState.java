package io.hermod.spool;

/** Where one recipient of a spooled message stands. Only PENDING and DEFERRED are still to be done. */
public enum RecipientState {
  /** Not yet attempted. */
  PENDING,
  /** Last attempt failed temporarily; retried at the envelope's next attempt time. */
  DEFERRED,
  /** Final: the next hop accepted it (or a local consumer acknowledged it). */
  DELIVERED,
  /** Final: permanent failure or lifetime expired; a DSN is owed (or was sent) per NOTIFY. */
  FAILED;

  public boolean isFinal() {
    return this == DELIVERED || this == FAILED;
  }
}
