package io.hermod.shaping;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a deferral or a failure was about, as one label from a small fixed set, so that an application can act
 * on outcomes without parsing reply texts (docs/delivery.md "Bounce classification"). The labels are KumoMTA's
 * bounce classes that describe an SMTP reply; its classes for inbound messages (AutoReply, Subscribe,
 * Unsubscribe, ChallengeResponse) are left out, because Hermod classifies replies, not messages. The label is
 * what events, log lines and rule files carry.
 */
public enum BounceClass {

  INVALID_RECIPIENT("InvalidRecipient", "the recipient address does not exist"),
  BAD_DOMAIN("BadDomain", "the recipient domain does not exist or accepts no mail (NXDOMAIN, null MX)"),
  DNS_FAILURE("DNSFailure", "a DNS lookup for the recipient domain failed (SERVFAIL, timeout)"),
  INACTIVE_MAILBOX("InactiveMailbox", "the mailbox exists but is disabled, suspended or moved"),
  INVALID_SENDER("InvalidSender", "the sender address or its domain was refused (no such domain, null MX)"),
  QUOTA_ISSUES("QuotaIssues", "the mailbox or the mail system is full, or the message is too big"),
  TOO_MANY_RECIPIENTS("TooManyRecipients", "too many recipients in one transaction"),
  SPAM_BLOCK("SpamBlock", "the sending IP or domain is blocked or throttled as a source of spam (a blocklist, "
      + "poor reputation, complaints)"),
  SPAM_CONTENT("SpamContent", "this message was judged to be spam"),
  SPAM_RELATED("SpamRelated", "refused for spam, without saying whether for the source or the content"),
  VIRUS_RELATED("VirusRelated", "the message carries a virus or other malware"),
  PROHIBITED_ATTACHMENT("ProhibitedAttachment", "an attachment (type) the receiver does not accept"),
  CONTENT_RELATED("ContentRelated", "refused for its content or form (headers, media, encoding)"),
  POLICY_RELATED("PolicyRelated", "refused by the receiver's policy (a security or policy status without a "
      + "more specific reason)"),
  AUTHENTICATION_FAILED("AuthenticationFailed", "the sender's authentication was missing or failed (SPF, DKIM, "
      + "DMARC, reverse DNS)"),
  RELAY_DENIED("RelayDenied", "the next hop does not relay for us"),
  RELAYING_ISSUES("RelayingIssues", "a relay on the way had a problem (no shipped rule: for operator rules)"),
  ROUTING_ERRORS("RoutingErrors", "no route to the recipient domain (no MX or address, a mail loop)"),
  BAD_CONFIGURATION("BadConfiguration", "the remote or our own configuration does not fit (TLS required but "
      + "not available)"),
  BAD_CONNECTION("BadConnection", "the connection broke in the middle of a transaction"),
  NO_ANSWER_FROM_HOST("NoAnswerFromHost", "no host could be reached (connection refused or timed out, no "
      + "answer in time)"),
  PROTOCOL_ERRORS("ProtocolErrors", "an SMTP protocol error (syntax, sequence, a malformed reply)"),
  TRANSIENT_FAILURE("TransientFailure", "a temporary failure with no more specific reason (greylisting, busy, "
      + "rate limits, try again later)"),
  MESSAGE_EXPIRED("MessageExpired", "not delivered within delivery.lifetimeSeconds (4.4.7)"),
  UNCATEGORIZED("Uncategorized", "a permanent failure no rule or status code explains");

  private static final Map<String, BounceClass> BY_LABEL = Arrays.stream(values())
      .collect(Collectors.toUnmodifiableMap(BounceClass::label, Function.identity()));

  private final String label;
  private final String meaning;

  BounceClass(String label, String meaning) {
    this.label = label;
    this.meaning = meaning;
  }

  /** The label in events, log lines and rule files, e.g. "InvalidRecipient". */
  public String label() {
    return label;
  }

  /** One line on what the label means (docs/delivery.md). */
  public String meaning() {
    return meaning;
  }

  /** The class with exactly this label (case matters), or null. */
  public static BounceClass ofLabel(String label) {
    return label == null ? null : BY_LABEL.get(label);
  }

  @Override
  public String toString() {
    return label;
  }
}
