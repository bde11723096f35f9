package io.hermod.auth;

import io.vertx.core.Future;

/** Checks a user name and password for SMTP AUTH; never blocks the caller. */
public interface Authenticator {

  /** Succeeds with true when the credentials are right; completes on the caller's Vert.x context. */
  Future<Boolean> check(String user, String password);
}
