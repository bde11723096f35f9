package io.hermod.server;

import io.hermod.auth.AuthenticatedUser;
import io.hermod.auth.Authenticator;
import io.hermod.auth.PasswordCheck;
import io.hermod.auth.Sasl;
import io.hermod.auth.ScramServer;
import io.hermod.auth.Verification;
import io.hermod.smtp.Replies;
import io.hermod.smtp.Reply;
import io.vertx.core.Future;

import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;

/**
 * One SASL exchange of SMTP AUTH (RFC 4954 §4): turns the client's base64 responses into a challenge, a
 * check to wait for, a refusal or a result. PLAIN and LOGIN in {@link PasswordExchange}, SCRAM-SHA-256 in
 * {@link ScramExchange}; the session only carries the outcomes out.
 */
abstract class SaslExchange {

  static final List<String> MECHANISMS = List.of("PLAIN", "LOGIN", ScramServer.MECHANISM);

  sealed interface Outcome {
  }

  /** Send this 334 and pass the client's next line to {@link #respond}. */
  record Challenge(Reply reply) implements Outcome {
  }

  /** End the exchange with this reply (not counted as a failed authentication). */
  record Refused(Reply reply) implements Outcome {
  }

  /** Wait for a check on the auth workers, then carry out the outcome it gives; read nothing meanwhile. */
  record Pending(Future<Outcome> next) implements Outcome {
  }

  /** Wrong credentials or unknown user: counted by the brute-force throttle, answered 535 after a delay. */
  record Failed(String user) implements Outcome {
  }

  /** Authenticated; {@code verification} says whether a remembered verification served it (metrics). */
  record Succeeded(AuthenticatedUser user, Verification verification) implements Outcome {
  }

  /** @return null for a mechanism we do not offer */
  static SaslExchange start(String mechanism, Authenticator authenticator) {
    return switch (mechanism.toUpperCase(Locale.ROOT)) {
      case "PLAIN" -> PasswordExchange.plain(authenticator);
      case "LOGIN" -> PasswordExchange.login(authenticator);
      case ScramServer.MECHANISM -> new ScramExchange(authenticator, ScramServer.create(new SecureRandom()));
      default -> null;
    };
  }

  /** AUTH without an initial response: the first challenge (RFC 4954 §4). */
  abstract Outcome begin();

  /** A response line (or the initial response of the AUTH command). */
  final Outcome respond(String line) {
    if (line.equals("*")) {
      return new Refused(Replies.AUTH_CANCELLED);
    }
    byte[] decoded = Sasl.decodeBase64(line);
    if (decoded == null) {
      return new Refused(Replies.AUTH_BAD_BASE64);
    }
    return respond(decoded);
  }

  /** The decoded response. */
  abstract Outcome respond(byte[] decoded);

  /** The mechanism's name for metrics, lower case ("plain", "login", "scram-sha-256"). */
  abstract String mechanism();

  /** The outcome of a user-store check for {@code user}. */
  static Outcome checked(String user, PasswordCheck result) {
    return result.user() != null ? new Succeeded(result.user(), result.verification()) : new Failed(user);
  }
}
