package io.hermod.smtp;

import java.util.List;

/**
 * Every reply the listener can give, in one place (documented in docs/replies.md). Enhanced status codes
 * per RFC 3463; the RFC section that calls for a reply is cited next to it.
 */
public final class Replies {

  private Replies() {
  }

  // --- 2xx / 3xx -----------------------------------------------------------------------------------

  /** RFC 5321 §4.2: the greeting carries no enhanced code (RFC 2034 §3). */
  public static Reply greeting(String hostname) {
    return new Reply(220, null, hostname + " ESMTP Hermod");
  }

  public static Reply helo(String hostname, String clientName) {
    return new Reply(250, null, hostname + " Hello " + clientName);
  }

  /** EHLO: first line the greeting, then one extension keyword per line (RFC 5321 §4.1.1.1). */
  public static Reply ehlo(String hostname, List<String> extensions) {
    return new Reply(250, null, concat(hostname, extensions));
  }

  public static final Reply OK = new Reply(250, "2.0.0", "OK");
  public static final Reply SENDER_OK = new Reply(250, "2.1.0", "Sender OK");
  /** spf.policy reject-fail: the sender's domain does not permit this client (RFC 7372 §3.2). */
  public static final Reply SPF_FAIL = new Reply(550, "5.7.23", "SPF validation failed");
  /** spf.policy reject-fail: SPF could not be evaluated now (RFC 7208 §8.6, RFC 7372 §3.2). */
  public static final Reply SPF_TEMPERROR = new Reply(451, "4.7.24", "SPF validation error, try again later");
  public static final Reply RECIPIENT_OK = new Reply(250, "2.1.5", "Recipient OK");
  public static final Reply RESET_OK = new Reply(250, "2.0.0", "Reset OK");

  /** RFC 5321 §3.5.3: VRFY may be answered 252 when we will not verify. */
  public static final Reply VRFY = new Reply(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery");

  public static final Reply HELP = new Reply(214, "2.0.0",
      "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP; see RFC 5321");

  public static final Reply START_DATA = new Reply(354, null, "End data with <CR><LF>.<CR><LF>");

  public static Reply queued(String queueId) {
    return new Reply(250, "2.0.0", "OK: queued as " + queueId);
  }

  /** RFC 3030 §2: each non-final BDAT chunk is acknowledged. */
  public static Reply chunkReceived(long octets) {
    return new Reply(250, "2.0.0", octets + " octets received");
  }

  public static Reply closing(String hostname) {
    return new Reply(221, "2.0.0", hostname + " closing connection");
  }

  // --- syntax and sequence (5.5.x) -----------------------------------------------------------------

  public static final Reply UNRECOGNIZED = new Reply(500, "5.5.2", "Syntax error, command unrecognized");
  public static final Reply LINE_TOO_LONG = new Reply(500, "5.5.2", "Line too long");
  public static final Reply BAD_UTF8 = new Reply(500, "5.5.2", "Invalid UTF-8 in command");
  /** Postfix's answer to a bare CR or LF (smtpd_forbid_bare_newline); the connection is closed after it. */
  public static final Reply BARE_NEWLINE = new Reply(521, "5.5.2", "Bare <CR> or <LF> received; only <CR><LF> ends a line");
  /** Another protocol on our port (an HTTP request, a TLS ClientHello): answered once, then closed. */
  public static final Reply NOT_SMTP = new Reply(500, "5.5.2", "Not an SMTP command; closing connection");
  public static final Reply SYNTAX_PARAMS = new Reply(501, "5.5.4", "Syntax error in parameters or arguments");
  public static final Reply NOT_IMPLEMENTED = new Reply(502, "5.5.1", "Command not implemented");
  public static final Reply NEED_HELO = new Reply(503, "5.5.1", "Send HELO/EHLO first");
  public static final Reply NEED_MAIL = new Reply(503, "5.5.1", "Need MAIL command");
  public static final Reply NEED_RCPT = new Reply(503, "5.5.1", "Need RCPT command");
  public static final Reply NESTED_MAIL = new Reply(503, "5.5.1", "Sender already specified");
  /** RFC 3030 §3: DATA and BDAT must not be mixed in one transaction. */
  public static final Reply DATA_AFTER_BDAT = new Reply(503, "5.5.1", "DATA not allowed in a BDAT transaction");
  /** RFC 5321 §4.1.1.11: MAIL/RCPT parameters not recognized or not implemented. */
  public static Reply unknownParameter(String keyword) {
    return new Reply(555, "5.5.4", "Unsupported parameter " + keyword);
  }

  public static Reply badParameter(String keyword) {
    return new Reply(501, "5.5.4", "Invalid value for parameter " + keyword);
  }

  public static final Reply BAD_SENDER_SYNTAX = new Reply(501, "5.1.7", "Bad sender address syntax");
  public static final Reply BAD_RECIPIENT_SYNTAX = new Reply(501, "5.1.3", "Bad recipient address syntax");
  /** RFC 6531 §3.4: a non-ASCII address without SMTPUTF8. */
  public static final Reply NEEDS_SMTPUTF8 = new Reply(553, "5.6.7", "Non-ASCII address requires SMTPUTF8");
  /** RFC 2920 §3.1: DATA ends a pipelined group; bytes before our 354 are a synchronization error. */
  public static final Reply PIPELINING_VIOLATION = new Reply(554, "5.5.0", "SMTP protocol synchronization error (data sent before 354)");
  /**
   * RFC 2920 §3.1 (Postfix's reject_unauth_pipelining): the client sent commands ahead without PIPELINING
   * negotiated, or after a command that must end a group; its MAIL, RCPT, DATA and BDAT are refused.
   */
  public static final Reply IMPROPER_PIPELINING = new Reply(503, "5.5.0", "Improper use of SMTP command pipelining");
  /** limits.greetPauseMillis (postscreen's pregreet test): the client talked before our greeting ended. */
  public static final Reply PREGREET = new Reply(554, "5.5.0", "SMTP protocol synchronization error (data sent before greeting)");
  /** RFC 2920 §3.1 / RFC 5321 §3.3: DATA with no accepted recipient. */
  public static final Reply NO_VALID_RECIPIENTS = new Reply(554, "5.5.1", "No valid recipients");

  // --- policy and limits ---------------------------------------------------------------------------

  public static final Reply RELAY_DENIED = new Reply(554, "5.7.1", "Relay access denied");
  /**
   * auth.restrictSenderDomains: MAIL FROM outside the authenticated user's domains (RFC 5321 §4.2.5 553
   * "mailbox name not allowed", RFC 3463 X.7.1 "not authorized").
   */
  public static Reply senderNotOwned(String user) {
    StringBuilder printable = new StringBuilder("Sender address rejected: not owned by user ");
    user.chars().limit(255).forEach(c -> printable.append(c > ' ' && c < 0x7f ? (char) c : '?')); // ASCII only
    return new Reply(553, "5.7.1", printable.toString());
  }

  /** RFC 3463 §3.2 X.1.1 "bad destination mailbox address": a local domain's user list lacks it. */
  public static final Reply USER_UNKNOWN = new Reply(550, "5.1.1", "Recipient address rejected: user unknown");
  /** RFC 5321 §4.5.3.1.8: at least 100 recipients must be accepted; beyond our limit, 452. */
  public static final Reply TOO_MANY_RECIPIENTS = new Reply(452, "4.5.3", "Too many recipients");
  public static Reply messageTooBig(long limit) {
    return new Reply(552, "5.3.4", "Message size exceeds fixed limit of " + limit + " octets");
  }

  /** limits.maxHeaderBytes (Postfix's header_size_limit): RFC 3463 X.3.4 "message too big for system". */
  public static Reply headerTooBig(long limit) {
    return new Reply(552, "5.3.4", "Message header section exceeds fixed limit of " + limit + " octets");
  }

  public static Reply lineTooLongInData(int limit) {
    return new Reply(554, "5.6.0", "Message has a line longer than " + limit + " octets (RFC 5322 §2.1.1)");
  }

  /** RFC 5321 §6.3: too many Received headers means a loop. */
  public static final Reply MAIL_LOOP = new Reply(554, "5.4.6", "Too many Received headers: mail loop detected");
  public static final Reply TOO_MANY_CONNECTIONS = new Reply(421, "4.7.0", "Too many connections, try again later");
  public static final Reply TOO_MANY_FROM_YOU = new Reply(421, "4.7.0", "Too many connections from your address, try again later");
  /** limits.maxConnectionRatePerIp: too many connections from one address within the window (Postfix anvil). */
  public static Reply connectionRateExceeded(String hostname) {
    return new Reply(421, "4.7.0", hostname + " Error: too many connections from your address, try again later");
  }

  public static final Reply TOO_MANY_ERRORS = new Reply(421, "4.7.0", "Too many errors, closing connection");
  public static final Reply TOO_MANY_MESSAGES = new Reply(421, "4.7.0", "Too many messages in this session, reconnect");
  /** RFC 5321 §4.5.3.2: on a timeout the server closes with 421. */
  public static final Reply TIMEOUT = new Reply(421, "4.4.2", "Timeout exceeded, closing connection");
  public static final Reply SHUTTING_DOWN = new Reply(421, "4.3.2", "Service shutting down, try again later");

  // --- TLS (RFC 3207) and AUTH (RFC 4954) --------------------------------------------------------

  /** RFC 3207 §4: sent by Vert.x as part of the upgrade, so the client hello is never read as plaintext. */
  public static final Reply STARTTLS_READY = new Reply(220, "2.0.0", "Ready to start TLS");
  /** RFC 3207 §4.2: STARTTLS is only valid before TLS. */
  public static final Reply TLS_ALREADY_ACTIVE = new Reply(503, "5.5.1", "TLS already active");
  /** RFC 3207 §4: TLS temporarily unavailable (no certificate loaded). */
  public static final Reply TLS_UNAVAILABLE = new Reply(454, "4.7.0", "TLS not available due to temporary reason");
  public static final Reply AUTH_OK = new Reply(235, "2.7.0", "Authentication successful");
  /** RFC 4954 §6: the same reply whether the user exists or not. */
  public static final Reply AUTH_FAILED = new Reply(535, "5.7.8", "Authentication credentials invalid");
  public static final Reply AUTH_UNKNOWN_MECHANISM = new Reply(504, "5.5.4", "Unrecognized authentication mechanism");
  public static final Reply AUTH_BAD_BASE64 = new Reply(501, "5.5.2", "Cannot decode response (invalid base64)");
  /** RFC 4954 §4: a "*" line cancels the exchange. */
  public static final Reply AUTH_CANCELLED = new Reply(501, "5.0.0", "Authentication cancelled");
  public static final Reply AUTH_ALREADY = new Reply(503, "5.5.1", "Already authenticated");
  /** RFC 4954 §4: AUTH is not permitted during a mail transaction. */
  public static final Reply AUTH_IN_TRANSACTION = new Reply(503, "5.5.1", "AUTH not permitted during a mail transaction");
  /** RFC 4954 §6: AUTH is only offered under TLS here. */
  public static final Reply ENCRYPTION_REQUIRED = new Reply(538, "5.7.11", "Encryption required for requested authentication mechanism");
  /** RFC 4954 §6 / RFC 6409 §4.3: the submission port takes mail only from authenticated users. */
  public static final Reply AUTH_REQUIRED = new Reply(530, "5.7.0", "Authentication required");
  /** RFC 4954 §6: the user store could not be consulted. */
  public static final Reply AUTH_TEMPORARY_FAILURE = new Reply(454, "4.7.0", "Temporary authentication failure");
  /** Brute-force protection: this address failed too often recently (docs/security.md). */
  public static final Reply AUTH_TOO_MANY_FAILURES = new Reply(454, "4.7.0", "Too many authentication failures, try later");
  /** The failure that used up the address's allowance: the connection is closed. */
  public static final Reply AUTH_FAILURES_CLOSING = new Reply(421, "4.7.0", "Too many authentication failures, closing connection");

  /** RFC 4954 §4: a server challenge, base64 (may be empty); no enhanced code. */
  public static Reply authChallenge(String base64) {
    return new Reply(334, null, base64);
  }

  // --- local trouble -------------------------------------------------------------------------------

  public static final Reply SPOOL_FULL = new Reply(452, "4.3.1", "Insufficient system storage, try again later");
  public static final Reply LOCAL_ERROR = new Reply(451, "4.3.0", "Local error in processing, try again later");

  private static List<String> concat(String first, List<String> rest) {
    String[] all = new String[rest.size() + 1];
    all[0] = first;
    for (int i = 0; i < rest.size(); i++) {
      all[i + 1] = rest.get(i);
    }
    return List.of(all);
  }
}
