package io.hermod.smtp;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fuzzes {@link CommandParser#parse} (and {@link PathParser} through MAIL/RCPT) with arbitrary lines.
 * Seeds: every client command of the dialogue transcripts and of the parser tests (docs/fuzzing.md).
 */
class CommandParserFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void parseLine(byte[] data) {
    String line = new String(data, StandardCharsets.UTF_8);
    checkLine(line);
  }

  /** The properties that hold for any line; shared with the framing target, which feeds it real lines. */
  static void checkLine(String line) {
    ParseResult result = CommandParser.parse(line); // must not throw
    if (result instanceof ParseResult.Error error) {
      int code = error.reply().code();
      assertTrue(code >= 500 && code <= 599, () -> "refusal that is not 5xx: " + error.reply());
      return;
    }
    Command command = ((ParseResult.Ok) result).command();
    // RFC 5321 §2.3.8: only the framing's CRLF ends a line, so no command may carry a CR or LF.
    assertFalse(line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0,
        () -> "a line with CR or LF parsed to " + command);
    if (command instanceof Command.Hello h) {
      assertTrue(!h.name().isEmpty() && h.name().indexOf(' ') < 0, h::toString);
    } else if (command instanceof Command.Mail m) {
      checkMailbox(m.sender(), true);
      checkAuth(m.params().auth());
    } else if (command instanceof Command.Rcpt r) {
      checkMailbox(r.recipient(), false);
    } else if (command instanceof Command.Bdat b) {
      assertTrue(b.size() >= 0, b::toString);
    }
  }

  /** RFC 4954 §5: AUTH= decodes to "<>" or to an address that is itself a valid MAIL path without a route. */
  private static void checkAuth(String auth) {
    if (auth == null || auth.equals("<>")) {
      return;
    }
    ParseResult again = CommandParser.parse("MAIL FROM:<" + auth + ">");
    assertTrue(again instanceof ParseResult.Ok ok && ok.command() instanceof Command.Mail m && m.sender() != null
        && !m.sender().sourceRoute() && m.sender().address().equals(auth), () -> "AUTH=" + auth);
  }

  /** RFC 5321 §4.5.3.1: the limits PathParser promises; the null path only for MAIL. */
  private static void checkMailbox(Mailbox box, boolean nullAllowed) {
    if (box == null) {
      assertTrue(nullAllowed, "null forward-path");
      return;
    }
    if (box.localPart().isEmpty()) {
      fail("empty local part");
    }
    assertTrue(box.localPart().getBytes(StandardCharsets.UTF_8).length <= 64, box::toString);
    assertTrue(box.domain() != null || box.isPostmaster(), box::toString);
  }
}
