package io.hermod.server;

import io.hermod.auth.Authenticator;
import io.hermod.auth.Sasl;
import io.hermod.auth.ScramCredentials;
import io.hermod.auth.ScramServer;
import io.hermod.auth.Verification;
import io.hermod.smtp.Replies;
import io.hermod.smtp.Reply;

/**
 * SCRAM-SHA-256 in SMTP AUTH (RFC 5802 §5, RFC 7677, RFC 4954 §4): client-first (as initial response or after
 * an empty 334), the server-first challenge once the user store gave the user's credentials (decoys for an
 * unknown name), client-final, then the server-final message as a last 334, which the client answers with
 * an empty line (RFC 4954 §4: SMTP has no "additional data with success"). A wrong proof is a failed
 * authentication like a wrong password; a malformed message ends the exchange with 535 uncounted.
 */
final class ScramExchange extends SaslExchange {

  private enum Step { CLIENT_FIRST, CLIENT_FINAL, FINAL_ACK }

  private final Authenticator authenticator;
  private final ScramServer scram;
  private Step step = Step.CLIENT_FIRST;
  private ScramCredentials credentials;

  ScramExchange(Authenticator authenticator, ScramServer scram) {
    this.authenticator = authenticator;
    this.scram = scram;
  }

  @Override
  String mechanism() {
    return "scram-sha-256";
  }

  @Override
  Outcome begin() {
    return new Challenge(Replies.authChallenge(""));
  }

  @Override
  Outcome respond(byte[] decoded) {
    String message = Sasl.utf8(decoded);
    if (message == null) {
      return new Refused(Replies.AUTH_FAILED);
    }
    try {
      switch (step) {
        case CLIENT_FIRST: {
          String user = scram.clientFirst(message);
          step = Step.CLIENT_FINAL;
          return new Pending(authenticator.scramCredentials(user).map(found -> {
            credentials = found;
            return challenge(scram.serverFirst(found));
          }));
        }
        case CLIENT_FINAL: {
          String serverFinal = scram.clientFinal(message);
          if (serverFinal == null) {
            return new Failed(scram.user());
          }
          step = Step.FINAL_ACK;
          return challenge(serverFinal);
        }
        default:
          return decoded.length == 0 ? new Succeeded(credentials.user(), Verification.COMPUTED)
              : new Refused(Replies.AUTH_FAILED);
      }
    } catch (ScramServer.ScramException e) {
      return new Refused(Replies.AUTH_FAILED);
    }
  }

  private static Challenge challenge(String message) {
    return new Challenge(Replies.authChallenge(Sasl.encodeBase64(message)));
  }
}
