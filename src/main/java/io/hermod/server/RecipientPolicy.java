package io.hermod.server;

import io.hermod.config.HermodConfig;
import io.hermod.smtp.Mailbox;
import io.hermod.smtp.Replies;
import io.hermod.smtp.Reply;

/**
 * Who may send to whom (never an open relay). A client that may relay (trusted network, or an
 * authenticated user, RFC 4954 §6) may send anywhere; any other client only to our local domains, and only with plain
 * addresses: the old routing tricks that turn a local address into a relay (percent hack, bang path,
 * quoted "@") are refused, as Postfix does for untrusted clients. A source route ("@a,@b:user@domain") is
 * ignored (RFC 5321 §4.1.1.3, Appendix C): the mail goes to the final mailbox, and the decision is made on it
 * alone, so a route to a local mailbox is local mail and a route to a remote one is relaying. A local domain with a
 * user list ({@code local.users}) refuses unknown local parts from every client (Postfix's
 * local_recipient_maps), so that mail for them is never accepted only to bounce later.
 */
final class RecipientPolicy {

  private final HermodConfig config;

  RecipientPolicy(HermodConfig config) {
    this.config = config;
  }

  /** @return null to accept, or the refusal */
  Reply check(Mailbox rcpt, boolean mayRelay) {
    if (rcpt.domain() == null) {
      return null; // bare <postmaster>, RFC 5321 §4.5.1
    }
    if (!rcpt.isAddressLiteral() && config.isLocalDomain(rcpt.domain())
        && !config.local().knowsUser(rcpt.domain(), rcpt.unquotedLocalPart())) {
      return Replies.USER_UNKNOWN;
    }
    if (mayRelay) {
      return null;
    }
    if (rcpt.isAddressLiteral() || !config.isLocalDomain(rcpt.domain())) {
      return Replies.RELAY_DENIED;
    }
    if (hasRoutingCharacters(rcpt.unquotedLocalPart())) {
      return Replies.RELAY_DENIED;
    }
    return null;
  }

  /** "%" (percent hack), "!" (UUCP bang path) and "@" (inside quotes) all name another host. */
  private static boolean hasRoutingCharacters(String localPart) {
    return localPart.indexOf('%') >= 0 || localPart.indexOf('!') >= 0 || localPart.indexOf('@') >= 0;
  }
}
