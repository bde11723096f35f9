package io.hermod.server;

import io.hermod.smtp.Command.MailParameters;
import io.hermod.smtp.Mailbox;
import io.hermod.spool.Recipient;

import java.util.ArrayList;
import java.util.List;

/** One mail transaction (RFC 5321 §3.3): from MAIL to the end of data, RSET or a new HELO. */
final class Transaction {

  final Mailbox sender; // null for the null reverse-path
  final MailParameters params;
  final List<Recipient> recipients = new ArrayList<>();
  int rcptAttempts;
  /** Set once the first BDAT chunk arrived: DATA may no longer be used (RFC 3030 §3). */
  boolean chunking;
  /** The BDAT transaction already failed; further chunks are read and refused with this reply. */
  io.hermod.smtp.Reply chunkingFailure;
  /** The Received-SPF field to prepend (RFC 7208 §9.1), or null when SPF was not checked. */
  String receivedSpf;
  /** The SPF result for Authentication-Results (RFC 8601 §2.7.2), or null when SPF was not checked. */
  io.hermod.dkim.AuthenticationResults.Spf spfResult;
  /** RFC 4954 §5: the original submitter (MAIL FROM's AUTH=) we trust the client to assert, or null for "<>". */
  final String authSubmitter;

  Transaction(Mailbox sender, MailParameters params, String authSubmitter) {
    this.sender = sender;
    this.params = params;
    this.authSubmitter = authSubmitter;
  }

  String senderAddress() {
    return sender == null ? "" : sender.address();
  }
}
