package io.hermod.auth;

import io.vertx.core.Future;

/** The user store as SMTP AUTH sees it; never blocks the caller. Results complete on the caller's context. */
public interface Authenticator {

  /** Succeeds with the user when the credentials are right (null in the check when they are not). */
  Future<PasswordCheck> check(String user, String password);

  /**
   * SCRAM-SHA-256 credentials of {@code user}; for an unknown user decoy credentials that look alike and that
   * no proof matches (so the exchange does not tell whether the name exists).
   */
  Future<ScramCredentials> scramCredentials(String user);
}
