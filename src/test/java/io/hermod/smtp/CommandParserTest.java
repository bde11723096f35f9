package io.hermod.smtp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Table-driven: every command and parameter form, good and bad. */
class CommandParserTest {

  private static Command ok(String line) {
    ParseResult r = CommandParser.parse(line);
    assertInstanceOf(ParseResult.Ok.class, r, () -> "expected a command for '" + line + "', got " + r);
    return ((ParseResult.Ok) r).command();
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1} {2}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      // unknown and malformed verbs
      "FOO                                   | 500 | 5.5.2",
      "``                                    | 500 | 5.5.2",
      "MAILFROM:<a@b.test>                   | 500 | 5.5.2",
      // HELO/EHLO
      "EHLO                                  | 501 | 5.5.4",
      "HELO                                  | 501 | 5.5.4",
      "EHLO a b                              | 501 | 5.5.4",
      // MAIL syntax
      "MAIL                                  | 501 | 5.5.4",
      "MAIL TO:<a@b.test>                    | 501 | 5.5.4",
      "MAIL FROM:a@b.test                    | 501 | 5.1.7",
      "MAIL FROM:<a@b.test                   | 501 | 5.1.7",
      "MAIL FROM:<@b.test>                   | 501 | 5.1.7",
      "MAIL FROM:<a@>                        | 501 | 5.1.7",
      "MAIL FROM:<a@-b.test>                 | 501 | 5.1.7",
      "MAIL FROM:<a@b-.test>                 | 501 | 5.1.7",
      "MAIL FROM:<a..b@b.test>               | 501 | 5.1.7",
      "MAIL FROM:<.a@b.test>                 | 501 | 5.1.7",
      "MAIL FROM:<a@b..test>                 | 501 | 5.1.7",
      "MAIL FROM:<a b@b.test>                | 501 | 5.1.7",
      "MAIL FROM:<\"a@b.test>                | 501 | 5.1.7",
      "MAIL FROM:<a@[]>                      | 501 | 5.1.7",
      "MAIL FROM:<postmaster>                | 501 | 5.1.7",
      "MAIL FROM:<a@b.test>x                 | 501 | 5.5.4",
      "MAIL FROM:<a@b.test> =x               | 501 | 5.5.4",
      "MAIL FROM:<a@b.test> SIZE=            | 501 | 5.5.4",
      "MAIL FROM:<a@b.test> SIZE=abc         | 501 | 5.5.4",
      "MAIL FROM:<a@b.test> SIZE=-1          | 501 | 5.5.4",
      "MAIL FROM:<a@b.test> SIZE=99999999999999999999999 | 501 | 5.5.4",
      "MAIL FROM:<a@b.test> SIZE=1 SIZE=2    | 501 | 5.5.4",
      "MAIL FROM:<a@b.test> BODY=7BIT BODY=8BITMIME | 501 | 5.5.4",
      "RCPT TO:<b@b.test> NOTIFY=NEVER NOTIFY=SUCCESS | 501 | 5.5.4",
      "MAIL FROM:<a@b.test> BODY=9BIT        | 501 | 5.5.4",
      "MAIL FROM:<a@b.test> BODY             | 501 | 5.5.4",
      "MAIL FROM:<a@b.test> SMTPUTF8=yes     | 501 | 5.5.4",
      "MAIL FROM:<a@b.test> RET=ALL          | 501 | 5.5.4",
      "MAIL FROM:<a@b.test> ENVID=           | 501 | 5.5.4",
      "MAIL FROM:<a@b.test> ENVID=a+2      | 501 | 5.5.4",
      "MAIL FROM:<a@b.test> ENVID=a+2c       | 501 | 5.5.4",
      "MAIL FROM:<a@b.test> XFOO=1           | 555 | 5.5.4",
      "MAIL FROM:<a@b.test> AUTH             | 501 | 5.5.4",
      "MAIL FROM:<a@b.test> AUTH=a           | 501 | 5.5.4",
      "MAIL FROM:<a@b.test> AUTH=a+40        | 501 | 5.5.4",
      "MAIL FROM:<a@b.test> AUTH=a+40b+2     | 501 | 5.5.4",
      "MAIL FROM:<a@b.test> AUTH=+3Ca+40b.test+3E | 501 | 5.5.4",
      "MAIL FROM:<a@b.test> AUTH=+40c.test:a+40b.test | 501 | 5.5.4",
      "MAIL FROM:<a@b.test> AUTH=<> AUTH=a+40b.test | 501 | 5.5.4",
      // RCPT syntax
      "RCPT                                  | 501 | 5.5.4",
      "RCPT TO:                              | 501 | 5.1.3",
      "RCPT TO:<>                            | 501 | 5.1.3",
      "RCPT TO:<bob>                         | 501 | 5.1.3",
      "RCPT TO:<@a.test:bob>                 | 501 | 5.1.3",
      "RCPT TO:<bob@b.test> NOTIFY=NEVER,SUCCESS | 501 | 5.5.4",
      "RCPT TO:<bob@b.test> NOTIFY=SOMETIMES | 501 | 5.5.4",
      "RCPT TO:<bob@b.test> NOTIFY=          | 501 | 5.5.4",
      "RCPT TO:<bob@b.test> ORCPT=bob@b.test | 501 | 5.5.4",
      "RCPT TO:<bob@b.test> ORCPT=rfc822;    | 501 | 5.5.4",
      "RCPT TO:<bob@b.test> ORCPT=rfc822;a+ZZ | 501 | 5.5.4",
      "RCPT TO:<bob@b.test> SIZE=10          | 555 | 5.5.4",
      // no-argument verbs
      "DATA x                                | 501 | 5.5.4",
      "RSET x                                | 501 | 5.5.4",
      "QUIT now                              | 501 | 5.5.4",
      "STARTTLS x                            | 501 | 5.5.4",
      "VRFY                                  | 501 | 5.5.4",
      // BDAT
      "BDAT                                  | 501 | 5.5.4",
      "BDAT x                                | 501 | 5.5.4",
      "BDAT -1                               | 501 | 5.5.4",
      "BDAT 10 FIRST                         | 501 | 5.5.4",
      "BDAT 10 LAST x                        | 501 | 5.5.4",
  })
  void refusesMalformedCommands(String line, int code, String status) {
    ParseResult r = CommandParser.parse(line);
    assertInstanceOf(ParseResult.Error.class, r, () -> "expected an error for '" + line + "', got " + r);
    Reply reply = ((ParseResult.Error) r).reply();
    assertEquals(code, reply.code(), line);
    assertEquals(status, reply.status(), line);
  }

  @Test
  void helloForms() {
    assertEquals(new Command.Hello("client.test", true), ok("EHLO client.test"));
    assertEquals(new Command.Hello("client.test", false), ok("helo client.test"));
    assertEquals(new Command.Hello("[127.0.0.1]", true), ok("ehlo [127.0.0.1]"));
  }

  @Test
  void mailWithoutParameters() {
    Command.Mail m = (Command.Mail) ok("MAIL FROM:<alice@example.test>");
    assertEquals("alice", m.sender().localPart());
    assertEquals("example.test", m.sender().domain());
    assertEquals(Command.MailParameters.NONE, m.params());
  }

  @Test
  void nullReversePath() {
    Command.Mail m = (Command.Mail) ok("MAIL FROM:<>");
    assertNull(m.sender());
  }

  @Test
  void lenientSpaceAfterColonAndAnyCase() {
    Command.Mail m = (Command.Mail) ok("mail from: <a@b.test>");
    assertEquals("a@b.test", m.sender().address());
    Command.Rcpt r = (Command.Rcpt) ok("rcpt to:  <c@d.test>");
    assertEquals("c@d.test", r.recipient().address());
  }

  @Test
  void allMailParameters() {
    Command.Mail m = (Command.Mail) ok(
        "MAIL FROM:<a@b.test> SIZE=12345 BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=QQ+2B314159");
    assertEquals(new Command.MailParameters(12345, BodyType.EIGHT_BIT_MIME, true, DsnRet.HDRS, "QQ+314159"), m.params());
  }

  /** RFC 4954 §5: AUTH= is xtext of "<>" or an addr-spec; the session decides whether it is offered. */
  @Test
  void mailAuthParameter() {
    assertEquals("<>", ((Command.Mail) ok("MAIL FROM:<a@b.test> AUTH=<>")).params().auth());
    assertEquals("<>", ((Command.Mail) ok("MAIL FROM:<a@b.test> AUTH=+3C+3E")).params().auth());
    assertEquals("a+b@c.test", ((Command.Mail) ok("MAIL FROM:<a@b.test> auth=a+2Bb+40c.test")).params().auth());
    assertEquals("\"a b\"@[192.0.2.1]",
        ((Command.Mail) ok("MAIL FROM:<a@b.test> AUTH=\"a+20b\"+40[192.0.2.1]")).params().auth());
    assertEquals(null, ((Command.Mail) ok("MAIL FROM:<a@b.test>")).params().auth());
  }

  @Test
  void parameterKeywordsAnyCase() {
    Command.Mail m = (Command.Mail) ok("MAIL FROM:<a@b.test> size=10 body=7bit ret=full");
    assertEquals(new Command.MailParameters(10, BodyType.SEVEN_BIT, false, DsnRet.FULL, null), m.params());
  }

  @Test
  void rcptDsnParameters() {
    Command.Rcpt r = (Command.Rcpt) ok("RCPT TO:<bob@b.test> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;bob+2Bx@b.test");
    assertEquals(EnumSet.of(DsnNotify.SUCCESS, DsnNotify.DELAY), r.params().notifyOn());
    assertEquals("rfc822;bob+x@b.test", r.params().orcpt());
    Command.Rcpt never = (Command.Rcpt) ok("RCPT TO:<bob@b.test> NOTIFY=never");
    assertEquals(Set.of(DsnNotify.NEVER), never.params().notifyOn());
  }

  @Test
  void barePostmasterRecipient() {
    Command.Rcpt r = (Command.Rcpt) ok("RCPT TO:<PostMaster>");
    assertNull(r.recipient().domain());
    assertTrue(r.recipient().isPostmaster());
  }

  @Test
  void relayTrickAddressesParseSoPolicyCanJudgeThem() {
    Mailbox quoted = ((Command.Rcpt) ok("RCPT TO:<\"victim@external.test\"@local.test>")).recipient();
    assertTrue(quoted.isQuoted());
    assertEquals("victim@external.test", quoted.unquotedLocalPart());
    Mailbox routed = ((Command.Rcpt) ok("RCPT TO:<@local.test,@relay.test:victim@external.test>")).recipient();
    assertTrue(routed.sourceRoute());
    assertEquals("external.test", routed.domain());
    Mailbox percent = ((Command.Rcpt) ok("RCPT TO:<victim%external.test@local.test>")).recipient();
    assertEquals("victim%external.test", percent.localPart());
    Mailbox bang = ((Command.Rcpt) ok("RCPT TO:<external.test!victim@local.test>")).recipient();
    assertEquals("external.test!victim", bang.localPart());
    Mailbox literal = ((Command.Rcpt) ok("RCPT TO:<victim@[192.0.2.1]>")).recipient();
    assertTrue(literal.isAddressLiteral());
    Mailbox dotted = ((Command.Rcpt) ok("RCPT TO:<victim@external.test.>")).recipient();
    assertEquals("external.test", dotted.normalizedDomain());
  }

  @Test
  void quotedLocalPartWithEscapes() {
    Mailbox m = ((Command.Rcpt) ok("RCPT TO:<\"a\\\"b c\"@b.test>")).recipient();
    assertEquals("a\"b c", m.unquotedLocalPart());
  }

  @Test
  void utf8AddressesParseAndAreMarkedNonAscii() {
    Command.Mail m = (Command.Mail) ok("MAIL FROM:<jösé@exämple.test> SMTPUTF8");
    assertFalse(m.sender().isAscii());
    assertTrue(m.params().smtpUtf8());
  }

  @Test
  void lengthLimits() {
    String local64 = "a".repeat(64);
    ok("RCPT TO:<" + local64 + "@b.test>");
    assertInstanceOf(ParseResult.Error.class, CommandParser.parse("RCPT TO:<" + local64 + "a@b.test>"));
    String label = "d".repeat(63);
    ok("RCPT TO:<a@" + label + ".test>");
    assertInstanceOf(ParseResult.Error.class, CommandParser.parse("RCPT TO:<a@" + label + "d.test>"));
  }

  @Test
  void otherVerbs() {
    assertInstanceOf(Command.Data.class, ok("DATA"));
    assertInstanceOf(Command.Rset.class, ok("rset"));
    assertInstanceOf(Command.Noop.class, ok("NOOP anything at all"));
    assertInstanceOf(Command.Quit.class, ok("QUIT"));
    assertEquals(new Command.Vrfy("bob"), ok("VRFY bob"));
    assertInstanceOf(Command.Help.class, ok("HELP MAIL"));
    assertInstanceOf(Command.StartTls.class, ok("STARTTLS"));
    assertEquals(new Command.Auth("PLAIN", "AGEAYg=="), ok("AUTH plain AGEAYg=="));
    assertEquals(new Command.NotImplemented("EXPN"), ok("EXPN staff"));
    assertEquals(new Command.Bdat(1000, false), ok("BDAT 1000"));
    assertEquals(new Command.Bdat(0, true), ok("BDAT 0 LAST"));
    assertEquals(new Command.Bdat(5, true), ok("bdat 5 last"));
  }

  @Test
  void identicalRepeatedParameterIsTolerated() {
    Command.Mail m = (Command.Mail) ok("MAIL FROM:<a@b.test> SMTPUTF8 BODY=8BITMIME SMTPUTF8 body=8bitmime");
    assertTrue(m.params().smtpUtf8());
    assertEquals(BodyType.EIGHT_BIT_MIME, m.params().body());
  }

  /** Found by CommandParserFuzzTest: trim() ate a trailing CR/LF and NOOP/VRFY/AUTH/EHLO kept inner ones. */
  @ParameterizedTest
  @ValueSource(strings = {"NOOP \r", "EHLO client.test\r\n", "VRFY a\nb", "AUTH PLAIN a\rb", "EXPN x\ny",
      "RSET\r"})
  void lineWithCrOrLfIsNeverACommand(String line) {
    ParseResult r = CommandParser.parse(line);
    assertInstanceOf(ParseResult.Error.class, r, () -> "parsed: " + r);
    assertEquals(500, ((ParseResult.Error) r).reply().code());
  }
}
