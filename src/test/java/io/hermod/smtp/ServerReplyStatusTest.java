package io.hermod.smtp;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The enhanced status code at the start of a reply line (RFC 3463 §2), read by a scan that must agree with the regex. */
class ServerReplyStatusTest {

  /** The rule as a regex: what the scan replaced, kept here as its oracle. */
  private static final Pattern RULE = Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})(?:\\s+|$)");

  private static final Pattern WHOLE = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

  private static String byRegex(int code, String line) {
    Matcher m = RULE.matcher(line);
    return m.find() && m.group(1).charAt(0) - '0' == code / 100 ? m.group(1) + "." + m.group(2) + "." + m.group(3) : null;
  }

  private static final Object[][] CASES = {
      // code, first line, status (null: none), text()
      {250, "2.0.0 Ok", "2.0.0", "Ok"},
      {250, "2.0.0", "2.0.0", ""},
      {250, "2.0.0\tOk", "2.0.0", "Ok"},
      {250, "2.0.0   Ok  queued", "2.0.0", "Ok  queued"},
      {550, "5.1.1 no such user", "5.1.1", "no such user"},
      {550, "5.123.456 x", "5.123.456", "x"},
      {550, "5.1234.1 x", null, "5.1234.1 x"},
      {550, "5.1.1234 x", null, "5.1.1234 x"},
      {550, "4.1.1 class differs", null, "4.1.1 class differs"},
      {451, "4.4.1 try later", "4.4.1", "try later"},
      {354, "3.0.0 no class 3", null, "3.0.0 no class 3"},
      {250, "2.0.0Ok", null, "2.0.0Ok"},
      {250, "2.0. Ok", null, "2.0. Ok"},
      {250, "2..0 Ok", null, "2..0 Ok"},
      {250, " 2.0.0 Ok", null, " 2.0.0 Ok"},
      {250, "", null, ""},
      {250, "2.0", null, "2.0"},
      {250, "Ok", null, "Ok"},
      {250, "2.0.0\u00a0Ok", null, "2.0.0\u00a0Ok"},
      {250, "2.0.0\u001cOk", null, "2.0.0\u001cOk"},
      {250, "2.\u0661.0 Ok", null, "2.\u0661.0 Ok"},
  };

  @Test
  void table() {
    for (Object[] c : CASES) {
      int code = (Integer) c[0];
      String line = (String) c[1];
      assertEquals(c[2], ServerReply.enhancedStatusOf(code, line), line);
      assertEquals(byRegex(code, line), ServerReply.enhancedStatusOf(code, line), "agrees with the regex: " + line);
      assertEquals(c[3], ServerReply.of(code, List.of(line)).text(), "text of " + line);
    }
  }

  @Test
  void wholeStatus() {
    for (String yes : new String[] {"2.0.0", "5.1.1", "4.7.1", "5.123.456"}) {
      assertEquals(true, ServerReply.isEnhancedStatus(yes), yes);
    }
    for (String no : new String[] {"", "2.0", "3.0.0", "5.1.1 ", " 5.1.1", "5.1.1234", "5.1.1x", "x"}) {
      assertEquals(false, ServerReply.isEnhancedStatus(no), no);
    }
    assertEquals(false, ServerReply.isEnhancedStatus(null));
  }

  @Test
  void agreesWithTheRegexOnRandomLines() {
    String alphabet = "245.0123456789 \t\u000b\f\rx\u00a0\u0661";
    SplittableRandom random = new SplittableRandom(3463);
    for (int n = 0; n < 100_000; n++) {
      StringBuilder line = new StringBuilder();
      for (int i = random.nextInt(12); i > 0; i--) {
        line.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      int code = (2 + random.nextInt(4)) * 100 + random.nextInt(60);
      assertEquals(byRegex(code, line.toString()), ServerReply.enhancedStatusOf(code, line.toString()), line::toString);
      assertEquals(WHOLE.matcher(line).matches(), ServerReply.isEnhancedStatus(line.toString()), line::toString);
    }
  }
}
