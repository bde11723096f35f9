package io.hermod.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The AUTH user in the session summary (issue #16): an address stays an address, a forged line stays one line. */
class SessionSummaryUserTest {

  private static SessionSummary summary() {
    SessionSummary s = new SessionSummary("192.0.2.7", "submission");
    s.command("EHLO");
    s.command("AUTH");
    s.command("QUIT");
    s.ending(SessionSummary.End.QUIT);
    return s;
  }

  @Test
  void anAddressAsTheUserNameKeepsItsAt() {
    assertEquals("disconnect from [192.0.2.7] listener=submission tls=yes user=alice@example.test ehlo=1 auth=1"
        + " quit=1 commands=3 accepted=0 end=quit", summary().line(true, "alice@example.test"));
    assertEquals("bob+mail=x@example.test", summary().fields(true, "bob+mail=x@example.test").getString("user"));
  }

  @Test
  void whatCouldBreakTheLineBecomesAQuestionMark() {
    String line = summary().line(true, "eve x\r\n2026-01-01T00:00:00Z INFO forged\u001b[2J\u00e9\u0000");
    assertEquals("disconnect from [192.0.2.7] listener=submission tls=yes"
        + " user=eve?x??2026-01-01T00:00:00Z?INFO?forged?[2J?? ehlo=1 auth=1 quit=1 commands=3 accepted=0 end=quit",
        line);
    assertEquals(255, LogSafe.token("x".repeat(1000)).length());
  }
}
