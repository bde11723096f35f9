package io.hermod.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hermod.config.ConfigLoader;
import io.hermod.config.DeliveryConfig;
import io.hermod.config.HermodConfig;
import io.hermod.delivery.DeliveryReport;
import io.hermod.delivery.RetrySchedule;
import io.hermod.smtp.BodyType;
import io.hermod.smtp.DsnNotify;
import io.hermod.smtp.DsnRet;
import io.hermod.spool.Envelope;
import io.hermod.spool.Recipient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The pure pieces of the router: planning, the token bucket, header extraction, job parameters, loops, the
 * retry of DNS deferrals.
 */
class RoutingPartsTest {

  private static HermodConfig config(String json) {
    return ConfigLoader.fromJson(new JsonObject(json));
  }

  @Test
  void planner() {
    RoutePlanner p = new RoutePlanner(config("""
        {"localDomains":["local.test"],"routing":{"deliveryPort":2525,"smarthost":"relay.test",
         "routes":{"a.test":"[10.0.0.1]:26","b.test":"[10.0.0.2]"}}}"""));
    assertEquals(new Route.Local("local.test"), p.route("local.test"));
    assertEquals(new Route.Direct("10.0.0.1", 26), p.route("a.test"));
    assertEquals(new Route.Direct("10.0.0.2", 2525), p.route("b.test"));
    assertEquals(new Route.MxOfHost("relay.test", 2525), p.route("c.test"));
    assertEquals("[10.0.0.1]:26", p.route("a.test").destination());
    RoutePlanner mx = new RoutePlanner(config("{}"));
    assertEquals(new Route.Mx("x.test", 25), mx.route("x.test"));
    assertEquals("x.test", RoutePlanner.domainOf("Bob@X.Test."));
    assertNull(RoutePlanner.domainOf("postmaster"));
    assertEquals(new Route.Local(""), mx.route(null));
  }

  @Test
  void tokenBucketAllowsItsRateAndSaysHowLongToWait() {
    TokenBucket bucket = new TokenBucket(2, 0);
    assertEquals(0, bucket.tryTake(0));
    assertEquals(0, bucket.tryTake(0));
    assertEquals(500, bucket.tryTake(0));
    assertEquals(0, bucket.tryTake(500));
    assertEquals(500, bucket.tryTake(500));
  }

  @Test
  void tokenBucketFollowsAChangingShareOfARate() {
    TokenBucket bucket = new TokenBucket(0, 0); // no share yet: no token, look again later
    assertEquals(TokenBucket.IDLE_WAIT_MILLIS, bucket.tryTake(0));
    bucket.rate(0.5, 0); // half a job a second (a cluster share): one token after 2 s, bursts of 1
    assertEquals(2000, bucket.tryTake(0));
    assertEquals(0, bucket.tryTake(2000));
    assertEquals(2000, bucket.tryTake(2000));
    bucket.rate(4, 2000);
    assertEquals(0, bucket.tryTake(2250));
    assertEquals(0, bucket.tryTake(5000)); // filled to a burst of 4 meanwhile
    bucket.rate(1, 5000);                   // the share shrank: the saved burst shrinks with it
    assertEquals(0, bucket.tryTake(5000));
    assertEquals(1000, bucket.tryTake(5000));
  }

  @Test
  void headerSectionEndsBeforeTheEmptyLineOrAtTheLastCompleteLine() {
    assertArrayEquals(bytes("A: 1\r\nB: 2\r\n"), SpooledContent.headerSection(buffer("A: 1\r\nB: 2\r\n\r\nbody\r\n")));
    assertArrayEquals(bytes("A: 1\r\n"), SpooledContent.headerSection(buffer("A: 1\r\nB: cut")));
    assertNull(SpooledContent.headerSection(buffer("no line end")));
  }

  @Test
  void rcptAndMailParameters() {
    Recipient r = new Recipient("b@x.test", "rfc822;b+1@x.test", EnumSet.of(DsnNotify.DELAY, DsnNotify.FAILURE),
        io.hermod.spool.RecipientState.PENDING, 0, null);
    assertEquals("NOTIFY=FAILURE,DELAY ORCPT=rfc822;b+2B1@x.test", JobFactory.rcptParams(r));
    assertEquals("", JobFactory.rcptParams(Recipient.pending("c@x.test", null, Set.of())));
    Envelope env = new Envelope("id1", "a@x.test", List.of(Recipient.pending("c@x.test", null, Set.of())), "e+1",
        DsnRet.HDRS, BodyType.EIGHT_BIT_MIME, false, "192.0.2.1", "h", "alice", "mx", Instant.EPOCH, 10,
        Instant.EPOCH, false, false);
    assertEquals("BODY=8BITMIME RET=HDRS ENVID=e+2B1", JobFactory.mailParams(env));
    // RFC 4954 §5: the submitter an authenticated client named, in xtext
    assertEquals("BODY=8BITMIME RET=HDRS ENVID=e+2B1 AUTH=alice+2Bx@x.test",
        JobFactory.mailParams(env.withAuthSubmitter("alice+x@x.test")));
  }

  @Test
  void aDeliveryReportCarriesTheSuccessNoticeOwedOverTheBus() {
    DeliveryReport plain = new DeliveryReport("mx.x.test", "192.0.2.1",
        List.of(new DeliveryReport.Result("b@x.test", DeliveryReport.Outcome.DELIVERED, 250, "2.0.0", "ok", true)));
    assertNull(plain.success());
    assertFalse(plain.toJson().containsKey("success"));
    assertEquals(plain, DeliveryReport.fromJson(new JsonObject(plain.toJson().encode())));
    DeliveryReport relayed = plain.withSuccess(io.hermod.delivery.DsnAction.RELAYED);
    assertEquals(relayed, DeliveryReport.fromJson(new JsonObject(relayed.toJson().encode())));
  }

  @Test
  void loopDetectorCutsAtTheFirstHostThatIsUs() throws Exception {
    LoopDetector loops = new LoopDetector("mx.us.test", List.of(new InetSocketAddress("192.0.2.1", 25),
        new InetSocketAddress("0.0.0.0", 2525)), Set.of(InetAddress.getByName("192.0.2.9")));
    MxHost better = new MxHost("mx.them.test", 5, List.of(InetAddress.getByName("192.0.2.5")));
    MxHost us = new MxHost("other-name.test", 10, List.of(InetAddress.getByName("192.0.2.1")));
    assertEquals(List.of(better), loops.beforeSelf(List.of(better, us), 25));
    assertEquals(List.of(better, us), loops.beforeSelf(List.of(better, us), 26)); // another port: not us
    MxHost wildcard = new MxHost("w.test", 10, List.of(InetAddress.getByName("192.0.2.9")));
    assertEquals(List.of(), loops.beforeSelf(List.of(wildcard), 2525));
    MxHost named = new MxHost("MX.us.test", 1, List.of(InetAddress.getByName("198.51.100.1")));
    assertEquals(List.of(), loops.beforeSelf(List.of(named, better), 25));
  }

  @Test
  void aDnsDeferralIsRetriedSoonOnTheFirstAttemptsWhenItIsTheOnlyReasonToWait() {
    Instant now = Instant.parse("2025-03-01T10:00:00Z");
    // No jitter (nextDouble 0.5): backoff 300 s doubling; DNS retry 60 s on the first two attempts.
    RetrySchedule schedule = new RetrySchedule(new DeliveryConfig(300, 14_400, 432_000, 0, 100, 10, 100, 1)
        .withRetrySpreadSeconds(0),
        new Random() {
          @Override
          public double nextDouble() {
            return 0.5;
          }
        });
    OutcomeRecorder recorder = new OutcomeRecorder(schedule, new DnsRetry(2, Duration.ofSeconds(60)));
    DeliveryReport.Result dns = new DeliveryReport.Result("a@x.test", DeliveryReport.Outcome.DEFERRED, 451, "4.4.3",
        "DNS lookup of x.test./MX failed: timed out: 3 queries unanswered in 5000 ms", false);
    DeliveryReport.Result greylisted = new DeliveryReport.Result("b@y.test", DeliveryReport.Outcome.DEFERRED, 451,
        "4.7.1", "greylisted", true);
    Envelope env = envelope(now, "a@x.test");

    env = recorder.record(env, new DeliveryReport(null, null, List.of(dns)), now).envelope();
    assertEquals(now.plusSeconds(60), env.nextAttempt());
    env = recorder.record(env, new DeliveryReport(null, null, List.of(dns)), now).envelope();
    assertEquals(now.plusSeconds(60), env.nextAttempt());
    env = recorder.record(env, new DeliveryReport(null, null, List.of(dns)), now).envelope();
    assertEquals(now.plusSeconds(1200), env.nextAttempt()); // third attempt: the backoff, counting all three

    Envelope two = envelope(now, "a@x.test", "b@y.test");
    two = recorder.record(two, new DeliveryReport(null, null, List.of(dns)), now).envelope();
    assertEquals(now.plusSeconds(60), two.nextAttempt()); // b not attempted yet (PENDING): nothing else to wait for
    two = recorder.record(two, new DeliveryReport("mx.y.test", "192.0.2.1", List.of(greylisted)), now).envelope();
    assertEquals(now.plusSeconds(300), two.nextAttempt()); // b waits on a greylisting: no early retry of the message

    Envelope never = new OutcomeRecorder(schedule).record(envelope(now, "a@x.test"),
        new DeliveryReport(null, null, List.of(dns)), now).envelope();
    assertEquals(now.plusSeconds(300), never.nextAttempt());
    assertFalse(DnsRetry.isDnsFailure("451 4.4.1 connection timed out"));
    assertFalse(DnsRetry.isDnsFailure(null));
  }

  private static Envelope envelope(Instant arrival, String... recipients) {
    List<Recipient> rcpts = java.util.Arrays.stream(recipients).map(r -> Recipient.pending(r, null, Set.of())).toList();
    return new Envelope("id1", "sender@local.test", rcpts, null, DsnRet.HDRS, BodyType.SEVEN_BIT, false, "127.0.0.1",
        "client.test", null, "mx", arrival, 0, arrival, false, false);
  }

  private static Buffer buffer(String s) {
    return Buffer.buffer(s);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
