package io.hermod.auth;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;

import java.util.Map;

/**
 * Runs the {@link UserStore} on a small worker pool: PBKDF2 takes tens of milliseconds by design, and the
 * store may re-read its file; neither may run on an event loop. A login the {@link LoginCache} remembers
 * is answered on the caller's event loop when the store's copy of the file is fresh (no reload check due),
 * otherwise on a worker after the check, still without PBKDF2.
 */
public final class UserStoreAuthenticator implements Authenticator {

  private final WorkerExecutor executor;
  private final UserStore store;
  private final LoginCache cache;

  public UserStoreAuthenticator(WorkerExecutor executor, UserStore store, LoginCache cache) {
    this.executor = executor;
    this.store = store;
    this.cache = cache;
  }

  @Override
  public Future<PasswordCheck> check(String user, String password) {
    Map<String, UserFile.Entry> users = cache.enabled() ? store.usersIfFresh() : null;
    if (users != null) {
      AuthenticatedUser hit = cache.lookup(user, password, users.get(user));
      if (hit != null) {
        return Future.succeededFuture(PasswordCheck.cached(hit));
      }
    }
    return executor.executeBlocking(() -> verify(user, password), false);
  }

  /** On a worker: the store's line after its reload check, the cache, then PBKDF2 (a success is remembered). */
  private PasswordCheck verify(String user, String password) {
    UserFile.Entry entry = store.entry(user);
    AuthenticatedUser hit = cache.lookup(user, password, entry);
    if (hit != null) {
      return PasswordCheck.cached(hit);
    }
    AuthenticatedUser verified = store.authenticate(user, entry, password);
    if (verified != null) {
      cache.remember(user, password, entry, verified);
    }
    return PasswordCheck.computed(verified);
  }

  @Override
  public Future<ScramCredentials> scramCredentials(String user) {
    return executor.executeBlocking(() -> store.scramCredentials(user), false);
  }
}
