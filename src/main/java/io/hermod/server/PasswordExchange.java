package io.hermod.server;

import io.hermod.auth.Authenticator;
import io.hermod.auth.Sasl;
import io.hermod.smtp.Replies;
import io.hermod.smtp.Reply;

/** SASL PLAIN (RFC 4616) and LOGIN: the client sends the password, which the user store checks (PBKDF2). */
final class PasswordExchange extends SaslExchange {

  private enum Step { PLAIN, LOGIN_USER, LOGIN_PASSWORD }

  // "Username:" and "Password:", the challenges every LOGIN client expects.
  private static final Reply USERNAME = Replies.authChallenge(Sasl.encodeBase64("Username:"));
  private static final Reply PASSWORD = Replies.authChallenge(Sasl.encodeBase64("Password:"));

  private final Authenticator authenticator;
  private Step step;
  private String loginUser;

  private PasswordExchange(Authenticator authenticator, Step step) {
    this.authenticator = authenticator;
    this.step = step;
  }

  static PasswordExchange plain(Authenticator authenticator) {
    return new PasswordExchange(authenticator, Step.PLAIN);
  }

  static PasswordExchange login(Authenticator authenticator) {
    return new PasswordExchange(authenticator, Step.LOGIN_USER);
  }

  @Override
  String mechanism() {
    return step == Step.PLAIN ? "plain" : "login";
  }

  /** Empty for PLAIN (RFC 4954 §4), "Username:" for LOGIN. */
  @Override
  Outcome begin() {
    return new Challenge(step == Step.PLAIN ? Replies.authChallenge("") : USERNAME);
  }

  @Override
  Outcome respond(byte[] decoded) {
    switch (step) {
      case PLAIN: {
        Sasl.Plain plain = Sasl.parsePlain(decoded);
        if (plain == null || !plain.authzidAcceptable()) {
          return new Refused(Replies.AUTH_FAILED);
        }
        return check(plain.user(), plain.password());
      }
      case LOGIN_USER: {
        loginUser = Sasl.utf8(decoded);
        if (loginUser == null || loginUser.isEmpty()) {
          return new Refused(Replies.AUTH_FAILED);
        }
        step = Step.LOGIN_PASSWORD;
        return new Challenge(PASSWORD);
      }
      default: {
        String password = Sasl.utf8(decoded);
        if (password == null || password.isEmpty()) {
          return new Refused(Replies.AUTH_FAILED);
        }
        return check(loginUser, password);
      }
    }
  }

  private Outcome check(String user, String password) {
    return new Pending(authenticator.check(user, password).map(result -> checked(user, result)));
  }
}
