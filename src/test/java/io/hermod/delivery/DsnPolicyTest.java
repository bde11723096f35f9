package io.hermod.delivery;

import io.hermod.smtp.DsnNotify;
import io.hermod.spool.Envelope;
import io.hermod.spool.Recipient;
import io.hermod.spool.RecipientState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** {@link DsnBuilder#shouldReport}: every NOTIFY combination (RFC 3461 §4.1) and the null sender. */
class DsnPolicyTest {

  private static Set<DsnNotify> notify(String list) {
    EnumSet<DsnNotify> set = EnumSet.noneOf(DsnNotify.class);
    if (!list.isBlank()) {
      Arrays.stream(list.split("\\+")).map(String::trim).map(DsnNotify::valueOf).forEach(set::add);
    }
    return set;
  }

  private static Envelope from(String sender, Recipient r) {
    return DsnBuilderTest.envelope(sender, null, null, false, r);
  }

  @ParameterizedTest(name = "NOTIFY={0}: failed {1}, delayed {2}, success {3}")
  @CsvSource({
      "'',                      true,  true,  false",
      "NEVER,                   false, false, false",
      "SUCCESS,                 false, false, true",
      "FAILURE,                 true,  false, false",
      "DELAY,                   false, true,  false",
      "SUCCESS+FAILURE,         true,  false, true",
      "SUCCESS+DELAY,           false, true,  true",
      "FAILURE+DELAY,           true,  true,  false",
      "SUCCESS+FAILURE+DELAY,   true,  true,  true",
  })
  void notifyDecidesWhichReportsAreOwed(String list, boolean failed, boolean delayed, boolean success) {
    Recipient r = new Recipient("bob@remote.test", null, notify(list), RecipientState.FAILED, 1, null);
    Envelope env = from("alice@sender.test", r);
    assertEquals(failed, DsnBuilder.shouldReport(env, r, DsnAction.FAILED), "failed");
    assertEquals(delayed, DsnBuilder.shouldReport(env, r, DsnAction.DELAYED), "delayed");
    for (DsnAction s : new DsnAction[] {DsnAction.DELIVERED, DsnAction.RELAYED, DsnAction.EXPANDED}) {
      assertEquals(success, DsnBuilder.shouldReport(env, r, s), s.keyword());
    }
  }

  @ParameterizedTest
  @EnumSource(DsnAction.class)
  void theNullSenderNeverGetsAReport(DsnAction action) {
    for (String list : new String[] {"", "SUCCESS+FAILURE+DELAY", "FAILURE", "DELAY", "SUCCESS"}) {
      Recipient r = new Recipient("bob@remote.test", null, notify(list), RecipientState.FAILED, 1, null);
      assertFalse(DsnBuilder.shouldReport(from("", r), r, action), "NOTIFY=" + list);
    }
  }
}
