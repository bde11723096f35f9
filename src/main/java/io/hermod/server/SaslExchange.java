package io.hermod.server;

import io.hermod.auth.Sasl;
import io.hermod.smtp.Replies;
import io.hermod.smtp.Reply;

import java.util.List;
import java.util.Locale;

/**
 * One SASL exchange of SMTP AUTH (RFC 4954 §4), PLAIN (RFC 4616) or LOGIN: turns the client's base64
 * responses into a challenge, credentials to check, or a refusal. Pure: the check itself is the session's.
 */
final class SaslExchange {

  static final List<String> MECHANISMS = List.of("PLAIN", "LOGIN");

  sealed interface Outcome {
  }

  record Challenge(Reply reply) implements Outcome {
  }

  record Credentials(String user, String password) implements Outcome {
  }

  record Refused(Reply reply) implements Outcome {
  }

  private enum Step { PLAIN, LOGIN_USER, LOGIN_PASSWORD }

  // "Username:" and "Password:", the challenges every LOGIN client expects.
  private static final Reply USERNAME = Replies.authChallenge(Sasl.encodeBase64("Username:"));
  private static final Reply PASSWORD = Replies.authChallenge(Sasl.encodeBase64("Password:"));

  private Step step;
  private String loginUser;

  private SaslExchange(Step step) {
    this.step = step;
  }

  /** @return null for a mechanism we do not offer */
  static SaslExchange start(String mechanism) {
    return switch (mechanism.toUpperCase(Locale.ROOT)) {
      case "PLAIN" -> new SaslExchange(Step.PLAIN);
      case "LOGIN" -> new SaslExchange(Step.LOGIN_USER);
      default -> null;
    };
  }

  /** AUTH without an initial response: the first challenge (empty for PLAIN, RFC 4954 §4). */
  Outcome begin() {
    return new Challenge(step == Step.PLAIN ? Replies.authChallenge("") : USERNAME);
  }

  /** A response line (or the initial response of the AUTH command). */
  Outcome respond(String line) {
    if (line.equals("*")) {
      return new Refused(Replies.AUTH_CANCELLED);
    }
    byte[] decoded = Sasl.decodeBase64(line);
    if (decoded == null) {
      return new Refused(Replies.AUTH_BAD_BASE64);
    }
    switch (step) {
      case PLAIN: {
        Sasl.Plain plain = Sasl.parsePlain(decoded);
        if (plain == null || !plain.authzidAcceptable()) {
          return new Refused(Replies.AUTH_FAILED);
        }
        return new Credentials(plain.user(), plain.password());
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
        return new Credentials(loginUser, password);
      }
    }
  }
}
