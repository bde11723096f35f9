package io.hermod.shaping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped rules over real replies of big providers (their texts as Hermod records them: the lines of a
 * multi-line reply joined with spaces, each without its code and enhanced status) and over Hermod's own local
 * outcomes (DNS, connections, expiry, local delivery).
 */
class BounceClassifierTest {

  private final BounceClassifier classifier = BounceClassifier.shipped();

  static Stream<Arguments> replies() {
    return Stream.of(
        // Gmail
        r(550, "5.1.1", "The email account that you tried to reach does not exist. Please try double-checking the "
            + "recipient's email address for typos or unnecessary spaces. For more information, go to "
            + "https://support.google.com/mail/?p=NoSuchUser 41be03b00d2f7-5e7b2f3e1b1si1234567a12.300 - gsmtp",
            "InvalidRecipient"),
        r(550, "5.2.1", "The email account that you tried to reach is disabled. "
            + "https://support.google.com/mail/?p=DisabledUser a1si1234567qkb.300 - gsmtp", "InactiveMailbox"),
        r(452, "4.2.2", "The email account that you tried to reach is over quota. Please direct the recipient to "
            + "https://support.google.com/mail/?p=OverQuotaTemp a1si123 - gsmtp", "QuotaIssues"),
        r(552, "5.2.2", "The recipient's inbox is out of storage space and inactive. Please direct the recipient to "
            + "https://support.google.com/mail/?p=OverQuotaPerm a1si123 - gsmtp", "QuotaIssues"),
        r(450, "4.2.1", "The user you are trying to contact is receiving mail at a rate that prevents additional "
            + "messages from being delivered. https://support.google.com/mail/?p=ReceivingRatePerm - gsmtp",
            "TransientFailure"),
        r(421, "4.7.28", "[192.0.2.10 15] Our system has detected an unusual rate of unsolicited mail originating "
            + "from your IP address. To protect our users from spam, mail sent from your IP address has been "
            + "temporarily rate limited. Please visit https://support.google.com/mail/?p=UnsolicitedRateLimitError "
            + "to review our Bulk Email Senders Guidelines. a1si123 - gsmtp", "SpamBlock"),
        r(550, "5.7.26", "This mail has been blocked because the sender is unauthenticated. Gmail requires all "
            + "senders to authenticate with either SPF or DKIM. Authentication results: DKIM = did not pass SPF "
            + "[example.org] with ip: [192.0.2.10] = did not pass For instructions on setting up authentication, go "
            + "to https://support.google.com/mail/answer/81126#authentication a1si123 - gsmtp",
            "AuthenticationFailed"),
        r(550, "5.7.26", "Unauthenticated email from example.org is not accepted due to domain's DMARC policy. "
            + "Please contact the administrator of example.org domain if this was a legitimate mail. - gsmtp",
            "AuthenticationFailed"),
        r(550, "5.7.25", "[192.0.2.10] The IP address sending this message does not have a PTR record setup, or "
            + "the corresponding forward DNS entry does not point to the sending IP. - gsmtp", "AuthenticationFailed"),
        r(550, "5.7.1", "[192.0.2.10] Our system has detected that this message is likely unsolicited mail. To "
            + "reduce the amount of spam sent to Gmail, this message has been blocked. Please visit "
            + "https://support.google.com/mail/?p=UnsolicitedMessageError - gsmtp", "SpamContent"),
        r(552, "5.7.0", "This message was blocked because its content presents a potential security issue. Please "
            + "visit https://support.google.com/mail/?p=BlockedMessage to review our message content and attachment "
            + "content guidelines. - gsmtp", "ProhibitedAttachment"),
        r(421, "4.7.0", "Try again later, closing connection. (EHLO) a1si123 - gsmtp", "TransientFailure"),
        r(530, "5.7.0", "Must issue a STARTTLS command first. a1si123 - gsmtp", "BadConfiguration"),
        // Microsoft (Outlook.com, Microsoft 365)
        r(550, "5.7.1", "Service unavailable, Client host [192.0.2.10] blocked using Spamhaus. To request removal "
            + "from this list see https://www.spamhaus.org/query/ip/192.0.2.10 AS(1450) "
            + "[DB3EUR04FT012.eop-eur04.prod.protection.outlook.com]", "SpamBlock"),
        r(550, "5.7.1", "Unfortunately, messages from [192.0.2.10] weren't sent. Please contact your Internet "
            + "service provider since part of their network is on our block list (S3150). You can also refer your "
            + "provider to http://mail.live.com/mail/troubleshooting.aspx#errors.", "SpamBlock"),
        r(550, "5.7.606", "Access denied, banned sending IP [192.0.2.10]. To request removal from this list please "
            + "visit https://sender.office.com/ and follow the directions.", "SpamBlock"),
        r(550, "5.7.1", "Delivery not authorized, message refused", "PolicyRelated"),
        r(451, "4.7.500", "Server busy. Please try again later from [192.0.2.10]. (S77719) "
            + "[AM4PEPF00025F97.EURPRD83.prod.outlook.com 2025-01-05T10:00:00.000Z 08DD2D0A1A5B3C4D]",
            "TransientFailure"),
        r(550, "5.4.1", "Recipient address rejected: Access denied. For more information see "
            + "https://aka.ms/EXOSmtpErrors [AM4PEPF00025F97.EURPRD83.prod.outlook.com]", "InvalidRecipient"),
        r(550, "5.5.0", "Requested action not taken: mailbox unavailable (S2017062302). "
            + "[AM4PEPF00025F97.EURPRD83.prod.outlook.com]", "InvalidRecipient"),
        r(550, "5.1.10", "RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
            "InvalidRecipient"),
        r(550, "5.7.509", "Access denied, sending domain example.org does not pass DMARC verification and has a "
            + "DMARC policy of reject.", "AuthenticationFailed"),
        r(554, "5.2.2", "mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuota",
            "QuotaIssues"),
        r(452, "4.5.3", "Too many recipients (AS780090)", "TooManyRecipients"),
        r(550, "5.7.54", "SMTP; Unable to relay recipient in non-accepted domain", "RelayDenied"),
        // Yahoo, AOL
        r(421, "4.7.0", "[TS01] Messages from 192.0.2.10 temporarily deferred due to user complaints - "
            + "4.16.55.1; see https://postmaster.yahooinc.com/error-codes", "SpamBlock"),
        r(421, "4.7.0", "[TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or user "
            + "complaints - 4.16.56.1; see https://postmaster.yahooinc.com/error-codes", "SpamBlock"),
        r(550, "5.7.9", "This mail has been blocked because the sender is unauthenticated. Yahoo requires all "
            + "senders to authenticate with either SPF or DKIM.", "AuthenticationFailed"),
        r(552, "5.2.2", "Mailbox full", "QuotaIssues"),
        r(554, null, "delivery error: dd This user doesn't have a yahoo.com account (bob@yahoo.com) [0] - "
            + "mta1234.mail.bf1.yahoo.com", "InvalidRecipient"),
        r(554, "5.7.9", "Message not accepted for policy reasons. See https://postmaster.yahooinc.com/error-codes",
            "PolicyRelated"),
        // Postfix, Dovecot and other common servers
        r(550, "5.1.1", "<bob@example.net>: Recipient address rejected: User unknown in local recipient table",
            "InvalidRecipient"),
        r(450, "4.1.1", "<bob@example.net>: Recipient address rejected: unverified address: connect to "
            + "mx.example.net[192.0.2.20]:25: Connection timed out", "TransientFailure"),
        r(554, "5.7.1", "<bob@example.net>: Recipient address rejected: Access denied", "PolicyRelated"),
        r(553, "5.1.8", "<alice@nowhere.example>: Sender address rejected: Domain not found", "InvalidSender"),
        r(450, "4.1.8", "<alice@nowhere.example>: Sender address rejected: Domain not found", "InvalidSender"),
        r(554, "5.7.1", "<bob@example.net>: Relay access denied", "RelayDenied"),
        r(451, "4.7.1", "Greylisted, see https://postgrey.schweikert.ch/help/example.net.html", "TransientFailure"),
        r(450, "4.7.1", "Client host rejected: cannot find your hostname, [192.0.2.10]", "PolicyRelated"),
        r(554, "5.7.1", "Message rejected: this message contains a virus (Eicar-Test-Signature)", "VirusRelated"),
        r(452, "4.2.2", "<bob@example.net> Quota exceeded (mailbox for user is full)", "QuotaIssues"),
        r(550, "5.1.1", "<bob@example.net> User doesn't exist: bob@example.net", "InvalidRecipient"),
        r(552, "5.3.4", "Message size exceeds fixed limit", "QuotaIssues"),
        r(421, "4.3.2", "Service not available, closing transmission channel", "TransientFailure"),
        r(501, "5.5.2", "Syntax error in parameters or arguments", "ProtocolErrors"),
        r(550, null, "Requested action not taken: no such user here", "InvalidRecipient"),
        r(554, "5.6.0", "Message contains invalid header", "ContentRelated"),
        // Hermod's own decisions: DNS (routing/Resolution), connections (delivery/HostFailover), expiry
        r(550, "5.1.2", "Host or domain name not found: nowhere.example", "BadDomain"),
        r(556, "5.1.10", "Domain null.example does not accept mail (null MX)", "BadDomain"),
        r(550, "5.4.4", "No MX or address records for empty.example", "BadDomain"),
        r(451, "4.4.3", "next hop lookup failed: DNS timeout for example.org/MX", "DNSFailure"),
        r(451, "4.4.3", "SERVFAIL for example.org/MX", "DNSFailure"),
        r(451, "4.4.1", "mx1.example.org[192.0.2.1]:25: connection failed: Connection refused: /192.0.2.1:25",
            "NoAnswerFromHost"),
        r(451, "4.4.1", "mx1.example.org[192.0.2.1]:25: connection failed: connection timed out: "
            + "/192.0.2.1:25; mx2.example.org[192.0.2.2]:25: no answer from host (greeting)", "NoAnswerFromHost"),
        r(451, "4.4.2", "connection dropped (end of data)", "BadConnection"),
        r(451, "4.5.0", "protocol error from host (RCPT)", "ProtocolErrors"),
        r(451, "4.7.4", "TLS required but not available", "BadConfiguration"),
        r(550, "5.4.6", "mail for loop.example loops back to myself", "RoutingErrors"),
        r(451, "4.4.7", "delivery time expired, last reply: 451 4.4.1 mx1.example.org[192.0.2.1]:25: connection "
            + "failed: Connection refused", "MessageExpired"),
        r(421, "4.4.7", "delivery time expired, last reply: 421 4.7.0 [TS01] Messages from 192.0.2.10 temporarily "
            + "deferred due to user complaints", "MessageExpired"),
        r(552, "5.3.4", "message size 40000000 exceeds the host's limit of 35882577", "QuotaIssues"),
        r(553, "5.6.7", "SMTPUTF8 is required, but was not offered by the host", "ContentRelated"),
        // local delivery (local/*Deliverer) and the operator's bounce
        r(550, "5.1.3", "invalid maildir path for bob", "InvalidRecipient"),
        r(451, "4.3.0", "maildir delivery failed: No space left on device", "QuotaIssues"),
        r(451, "4.3.0", "no consumer for app.inbox", "TransientFailure"),
        r(550, "5.0.0", "bounced by operator", "Uncategorized"),
        // fallback: the status's class and subject, then the code's class
        r(550, "5.1.0", "Address rejected", "InvalidRecipient"),
        r(554, "5.3.0", "Other mail system problem 12-345", "BadConfiguration"),
        r(554, "5.4.0", "something with the network", "RoutingErrors"),
        r(451, "4.0.0", "something odd", "TransientFailure"),
        r(554, "5.0.0", "something odd", "Uncategorized"),
        r(451, null, "no enhanced status at all", "TransientFailure"),
        r(550, "bogus", "no enhanced status at all", "Uncategorized"));
  }

  private static Arguments r(int code, String status, String text, String label) {
    return Arguments.of(code, status, text, label);
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("replies")
  void shippedRulesClassifyRealReplies(int code, String status, String text, String label) {
    assertEquals(label, classifier.classify(code, status, text).label());
  }

  @Test
  void everyLabelIsUniqueAndFoundByItsLabel() {
    for (BounceClass c : BounceClass.values()) {
      assertEquals(c, BounceClass.ofLabel(c.label()));
      assertTrue(c.label().matches("[A-Z][A-Za-z]+"), c.label());
    }
    assertEquals(null, BounceClass.ofLabel("invalidrecipient"));
  }

  /** docs/delivery.md's label table has exactly the labels, and docs/eventbus.md lists each for the event field. */
  @Test
  void everyLabelIsDocumented() throws Exception {
    String delivery = Files.readString(Path.of("docs/delivery.md"));
    String section = delivery.substring(delivery.indexOf("## Bounce classification"));
    Set<String> rows = new TreeSet<>();
    Matcher row = Pattern.compile("(?m)^\\| `([A-Za-z]+)` \\| [^|]+ \\| [^|]+ \\|$").matcher(section);
    while (row.find()) {
      rows.add(row.group(1));
    }
    Set<String> labels = Arrays.stream(BounceClass.values()).map(BounceClass::label)
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(labels, rows, "rows of the label table in docs/delivery.md \"Bounce classification\"");
    String eventbus = Files.readString(Path.of("docs/eventbus.md"));
    String field = eventbus.substring(eventbus.indexOf("| `classification` |"));
    field = field.substring(0, field.indexOf('\n'));
    for (String label : labels) {
      assertTrue(field.contains("`" + label + "`"), label + " in docs/eventbus.md's classification row");
    }
  }

  @Test
  void repeatedRepliesComeFromTheCacheAndItStaysBounded() {
    for (int i = 0; i < BounceClassifier.CACHE_SIZE * 3; i++) {
      assertEquals(BounceClass.NO_ANSWER_FROM_HOST,
          classifier.classify(451, "4.4.1", "mx" + i + ".example[192.0.2.1]:25: connection failed"));
    }
    assertEquals(BounceClass.INVALID_RECIPIENT, classifier.classify(550, "5.1.1", "x"));
    assertEquals(BounceClass.INVALID_RECIPIENT, classifier.classify(550, "5.1.1", "x"));
  }

  @Test
  void controlCharactersAndHugeRepliesAreHarmless() {
    assertEquals(BounceClass.INVALID_RECIPIENT, classifier.classify(550, "5.1.1", "user\r\nunknown"));
    String huge = "x".repeat(1_000_000) + " user unknown";
    assertEquals(BounceClass.UNCATEGORIZED, classifier.classify(554, "5.0.0", huge), "matched within the first "
        + BounceRules.MAX_LINE + " characters only");
  }
}
