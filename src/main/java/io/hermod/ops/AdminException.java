package io.hermod.ops;

/** An admin request that cannot be done: the HTTP status and a short reason for the JSON error body. */
final class AdminException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  final int status;

  AdminException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }
}
