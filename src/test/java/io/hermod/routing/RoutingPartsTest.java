package io.hermod.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hermod.config.ConfigLoader;
import io.hermod.config.HermodConfig;
import io.hermod.smtp.DsnNotify;
import io.hermod.spool.Recipient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure pieces of the router: planning, the token bucket, header extraction, job parameters, loops. */
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

  private static Buffer buffer(String s) {
    return Buffer.buffer(s);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
