package io.hermod.shaping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShapingStateTest {

  private static ShapingRule rule(String json) {
    return ShapingRule.fromJson(new JsonObject(json));
  }

  private final QueueKey ip1Gmail = new QueueKey("ip1", "provider:google");
  private final QueueKey ip2Gmail = new QueueKey("ip2", "provider:google");
  private final QueueKey ip1Other = new QueueKey("ip1", "mx.other.test");

  @Test
  void theShippedRulesParseAndMatchTheProvidersReplies() {
    ShapingState s = new ShapingState(ShapingRules.shipped());
    assertEquals(1, s.onReplies(ip1Gmail, List.of("421 4.7.28 Our system has detected an unusual rate of "
        + "unsolicited mail originating from your IP address"), 0).size());
    assertEquals(1, s.onReplies(ip1Other, List.of("421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily "
        + "deferred due to unexpected volume or user complaints"), 0).size());
    assertEquals(0, s.onReplies(ip1Other, List.of("550 5.1.1 The email account that you tried to reach does not exist"),
        0).size());
    assertEquals(2, s.onReplies(new QueueKey(null, "mx.x.test"),
        List.of("451 4.7.500 Server busy. Please try again later from [192.0.2.1]", "452 too many connections"), 0)
        .size(), "two rules, one decision each");
  }

  @Test
  void aSiteScopeSuspendsOneQueueAProviderScopeEverySourceASourceScopeEverySite() {
    ShapingState s = new ShapingState(List.of(
        rule("{'name':'q','match':'^421 q','action':'suspend','durationSeconds':10}".replace('\'', '"')),
        rule("{'name':'p','match':'^421 p','scope':'provider','action':'suspend','durationSeconds':10}"
            .replace('\'', '"')),
        rule("{'name':'s','match':'^554 blocklisted','scope':'source','action':'suspend','durationSeconds':10}"
            .replace('\'', '"'))));
    s.onReplies(ip1Gmail, List.of("421 q"), 0);
    assertEquals(10_000, s.suspendedUntil(ip1Gmail, 0));
    assertEquals(0, s.suspendedUntil(ip2Gmail, 0), "another source of ours is not throttled");
    s.onReplies(ip1Gmail, List.of("421 p"), 1000);
    assertEquals(11_000, s.suspendedUntil(ip2Gmail, 1000), "the whole site, every source");
    assertEquals(0, s.suspendedUntil(ip1Other, 1000));
    s.onReplies(ip1Other, List.of("554 blocklisted"), 2000);
    assertEquals(12_000, s.suspendedUntil(ip1Other, 2000));
    assertEquals(0, s.suspendedUntil(new QueueKey("ip2", "mx.other.test"), 2000));
    assertTrue(s.suspendReason(ip1Other, 2000).startsWith("rule s: 554 blocklisted"));
    assertNull(s.suspendReason(ip1Other, 12_000), "expired");
    s.expire(20_000);
    assertEquals(0, s.decisionsInForce(20_000));
  }

  @Test
  void aThresholdNeedsItsCountWithinItsWindow() {
    ShapingState s = new ShapingState(List.of(rule(
        "{\"name\":\"t\",\"match\":\"^451\",\"count\":3,\"withinSeconds\":60,\"action\":\"limitConnections\","
            + "\"value\":2,\"durationSeconds\":30}")));
    assertEquals(0, s.onReplies(ip1Gmail, List.of("451 a"), 0).size());
    assertEquals(0, s.onReplies(ip1Gmail, List.of("451 b", "451 c"), 1000).size(), "one hit per job");
    assertEquals(0, s.onReplies(ip1Gmail, List.of("451 d"), 61_000).size(), "the first hit left the window");
    assertEquals(0, s.onReplies(ip1Gmail, List.of("451 e"), 62_000).size(), "the second left too: 2 in the window");
    assertEquals(1, s.onReplies(ip1Gmail, List.of("451 f"), 63_000).size(), "three within 60 s");
    assertEquals(2, s.cap(ip1Gmail, 20, 63_000));
    assertEquals(20, s.cap(ip1Gmail, 20, 93_000));
  }

  @Test
  void limitsAndBouncesHoldForTheirDurationAndNeverLoosenEarly() {
    ShapingState s = new ShapingState(List.of());
    s.apply(new ShapingState.Decision("queue:" + ip1Gmail, ShapingRule.Action.LIMIT_RATE, 10_000, 60, "r"), 0);
    s.apply(new ShapingState.Decision("queue:" + ip1Gmail, ShapingRule.Action.LIMIT_RATE, 5_000, 120, "r"), 0);
    assertEquals(60, s.ratePerMinute(ip1Gmail, 0, 1000), "the lower rate stays while in force");
    assertEquals(30, s.ratePerMinute(ip1Gmail, 30, 1000));
    s.apply(new ShapingState.Decision("site:provider:google", ShapingRule.Action.BOUNCE, 1000, 0, "rule b: 550"), 0);
    assertEquals("rule b: 550", s.bounceReason(ip2Gmail, 500));
    assertNull(s.bounceReason(ip2Gmail, 1000));
  }

  @Test
  void badRulesAreRefusedWithAReason() {
    assertThrows(IllegalArgumentException.class, () -> rule("{\"name\":\"x\",\"match\":\"a\",\"action\":\"suspend\"}"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rule(
        "{\"name\":\"x\",\"match\":\"a\",\"action\":\"throttle\",\"durationSeconds\":1}"));
    assertTrue(e.getMessage().contains("limitConnections"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> rule(
        "{\"name\":\"x\",\"match\":\"a\",\"action\":\"suspend\",\"durationSeconds\":1,\"scpoe\":\"site\"}"));
  }
}
