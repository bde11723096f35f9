package io.hermod.auth;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;

/**
 * Runs {@link UserStore#verify} on a small worker pool: PBKDF2 takes tens of milliseconds by design and
 * must never run on an event loop.
 */
public final class UserStoreAuthenticator implements Authenticator {

  private final WorkerExecutor executor;
  private final UserStore store;

  public UserStoreAuthenticator(WorkerExecutor executor, UserStore store) {
    this.executor = executor;
    this.store = store;
  }

  @Override
  public Future<Boolean> check(String user, String password) {
    return executor.executeBlocking(() -> store.verify(user, password), false);
  }
}
