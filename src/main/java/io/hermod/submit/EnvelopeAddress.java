package io.hermod.submit;

import io.hermod.smtp.Command;
import io.hermod.smtp.CommandParser;
import io.hermod.smtp.Mailbox;
import io.hermod.smtp.ParseResult;

/**
 * Checks an envelope address given on the bus with exactly the rules the SMTP listener applies to
 * MAIL FROM and RCPT TO (RFC 5321 §4.1.2 path syntax, §4.5.3.1 length limits, RFC 6531 UTF-8), by asking the
 * listener's own parser. Anything the parser would read as more than one mailbox (a "&gt;" followed by
 * parameters) is refused, so a caller cannot smuggle ESMTP parameters in an address.
 */
final class EnvelopeAddress {

  private EnvelopeAddress() {
  }

  static Mailbox sender(String address) {
    return parse("MAIL FROM:<", address, "sender");
  }

  static Mailbox recipient(String address) {
    return parse("RCPT TO:<", address, "recipient");
  }

  private static Mailbox parse(String prefix, String address, String role) {
    if (address == null || address.isEmpty()) {
      throw SubmitRefused.badRequest("a " + role + " address is required (the null sender <> is not accepted)");
    }
    for (int i = 0; i < address.length(); i++) {
      if (address.charAt(i) < 32 || address.charAt(i) == 127) {
        throw SubmitRefused.badRequest("bad " + role + " address: control character");
      }
    }
    Mailbox mailbox = null;
    if (CommandParser.parse(prefix + address + ">") instanceof ParseResult.Ok ok) {
      mailbox = ok.command() instanceof Command.Mail m && m.params().equals(Command.MailParameters.NONE) ? m.sender()
          : ok.command() instanceof Command.Rcpt r && r.params().equals(Command.RcptParameters.NONE) ? r.recipient()
          : null;
    }
    // The bus has no local "postmaster" without a domain, and source routes make no sense here.
    if (mailbox == null || mailbox.domain() == null || mailbox.sourceRoute() || !mailbox.address().equals(address)) {
      throw SubmitRefused.badRequest("bad " + role + " address: " + address);
    }
    return mailbox;
  }
}
