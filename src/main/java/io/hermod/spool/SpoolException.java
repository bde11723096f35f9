package io.hermod.spool;

/** A spool operation failed: the reason decides the reply (disk full → 452 4.3.1, else 451 4.3.0). */
public class SpoolException extends RuntimeException {

  public enum Reason {
    /** No space left, or the high-water mark was reached. */
    FULL,
    /** Any other I/O failure. */
    IO_ERROR,
    /** The spool is closing. */
    CLOSED
  }

  private final Reason reason;

  public SpoolException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
