package io.hermod.auth;

/**
 * The result of a PLAIN or LOGIN password check.
 *
 * @param user         the authenticated user, or null when the name or the password is wrong
 * @param verification whether a remembered verification served it (never for a wrong password)
 */
public record PasswordCheck(AuthenticatedUser user, Verification verification) {

  static PasswordCheck computed(AuthenticatedUser user) {
    return new PasswordCheck(user, Verification.COMPUTED);
  }

  static PasswordCheck cached(AuthenticatedUser user) {
    return new PasswordCheck(user, Verification.CACHED);
  }
}
