package io.hermod.auth;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;

/**
 * Runs the {@link UserStore} on a small worker pool: PBKDF2 takes tens of milliseconds by design, and the
 * store may re-read its file; neither may run on an event loop.
 */
public final class UserStoreAuthenticator implements Authenticator {

  private final WorkerExecutor executor;
  private final UserStore store;

  public UserStoreAuthenticator(WorkerExecutor executor, UserStore store) {
    this.executor = executor;
    this.store = store;
  }

  @Override
  public Future<AuthenticatedUser> check(String user, String password) {
    return executor.executeBlocking(() -> store.authenticate(user, password), false);
  }

  @Override
  public Future<ScramCredentials> scramCredentials(String user) {
    return executor.executeBlocking(() -> store.scramCredentials(user), false);
  }
}
