package io.hermod.spf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.config.DnsConfig;
import io.hermod.routing.DnsClient;
import io.hermod.testing.TestDnsServer;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** check_host() against real DNS packets from {@link TestDnsServer}. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpfEvaluatorTest {

  static Vertx vertx;
  static TestDnsServer dns;
  static ExecutorService executor;
  static SpfEvaluator spf;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    dns = TestDnsServer.start(vertx).await();
    dns.txt("pass.test", "v=spf1 ip4:192.0.2.0/24 -all")
        .txt("fail.test", "v=spf1 ip4:198.51.100.1 -all")
        .txt("soft.test", "v=spf1 ~all")
        .txt("neutral.test", "v=spf1 ?all")
        .txt("noresult.test", "v=spf1 ip4:198.51.100.1")
        .txt("nospf.test", "google-site-verification=abc")
        .txt("two.test", "v=spf1 -all").txt("two.test", "v=spf1 +all")
        .txt("syntax.test", "v=spf1 ip4:192.0.2.1 frobnicate -all")
        .txt("chain.test", "v=spf1 include:middle.test -all")
        .txt("middle.test", "v=spf1 include:leaf.test ~all")
        .txt("leaf.test", "v=spf1 a:mail.leaf.test mx -all")
        .a("mail.leaf.test", "203.0.113.7")
        .mx("leaf.test", 10, "mx.leaf.test").a("mx.leaf.test", "203.0.113.25")
        .txt("redirect.test", "v=spf1 redirect=pass.test")
        .txt("redirect-none.test", "v=spf1 redirect=nospf.test")
        .txt("loop.test", "v=spf1 include:loop.test -all")
        .txt("voids.test", "v=spf1 a:v1.voids.test a:v2.voids.test a:v3.voids.test +all")
        .txt("broken.test", "v=spf1 include:servfail.test -all")
        .servfail("servfail.test")
        .txt("macro.test", "v=spf1 exists:%{l}.%{i}.allow.macro.test -all")
        .a("alice.192.0.2.9.allow.macro.test", "127.0.0.2")
        .txt("cidr.test", "v=spf1 a:net.cidr.test/24 -all").a("net.cidr.test", "192.0.2.200")
        .txt("ip6.test", "v=spf1 ip6:2001:db8::/32 -all");
    executor = Executors.newFixedThreadPool(2);
    DnsClient client = new DnsClient(vertx, new DnsConfig(List.of(dns.address()), 2000, 0), executor);
    spf = new SpfEvaluator(new DnsjavaSpfDns(vertx, client));
  }

  @AfterAll
  static void stop() {
    dns.close().await();
    vertx.close().await();
    executor.shutdownNow();
  }

  private static SpfVerdict check(String ip, String sender) throws Exception {
    return spf.check(InetAddress.getByName(ip), sender, "client.test").await();
  }

  private static SpfResult result(String ip, String sender) throws Exception {
    return check(ip, sender).result();
  }

  @Test
  void basicResults() throws Exception {
    SpfVerdict pass = check("192.0.2.9", "a@pass.test");
    assertEquals(SpfResult.PASS, pass.result());
    assertEquals("ip4:192.0.2.0/24", pass.mechanism());
    assertEquals(SpfResult.FAIL, result("192.0.3.9", "a@pass.test"));
    assertEquals(SpfResult.FAIL, result("192.0.2.9", "a@fail.test"));
    assertEquals(SpfResult.SOFTFAIL, result("192.0.2.9", "a@soft.test"));
    assertEquals(SpfResult.NEUTRAL, result("192.0.2.9", "a@neutral.test"));
    assertEquals(SpfResult.NEUTRAL, result("192.0.2.9", "a@noresult.test")); // §4.7: no match, no redirect
    assertEquals(SpfResult.NONE, result("192.0.2.9", "a@nospf.test"));
    assertEquals(SpfResult.NONE, result("192.0.2.9", "a@nxdomain.test"));
    assertEquals(SpfResult.PERMERROR, result("192.0.2.9", "a@two.test"));
    assertEquals(SpfResult.PERMERROR, result("192.0.2.9", "a@syntax.test"));
  }

  @Test
  void includeChainWithAAndMx() throws Exception {
    assertEquals(SpfResult.PASS, result("203.0.113.7", "x@chain.test"));  // a:mail.leaf.test
    assertEquals(SpfResult.PASS, result("203.0.113.25", "x@chain.test")); // mx of leaf.test
    assertEquals(SpfResult.FAIL, result("203.0.113.8", "x@chain.test"));  // include no match, then -all
  }

  @Test
  void redirect() throws Exception {
    assertEquals(SpfResult.PASS, result("192.0.2.1", "x@redirect.test"));
    assertEquals(SpfResult.FAIL, result("10.9.9.9", "x@redirect.test"));
    assertEquals(SpfResult.PERMERROR, result("192.0.2.1", "x@redirect-none.test")); // §6.1
  }

  @Test
  void limits() throws Exception {
    SpfVerdict loop = check("192.0.2.1", "x@loop.test");
    assertEquals(SpfResult.PERMERROR, loop.result());
    assertTrue(loop.problem().contains("DNS lookups"), loop.problem());
    SpfVerdict voids = check("192.0.2.1", "x@voids.test");
    assertEquals(SpfResult.PERMERROR, voids.result());
    assertTrue(voids.problem().contains("void"), voids.problem());
  }

  @Test
  void dnsFailureIsTemperror() throws Exception {
    assertEquals(SpfResult.TEMPERROR, result("192.0.2.1", "x@broken.test"));
    assertEquals(SpfResult.TEMPERROR, result("192.0.2.1", "x@servfail.test"));
  }

  @Test
  void macrosCidrAndIpv6() throws Exception {
    assertEquals(SpfResult.PASS, result("192.0.2.9", "alice@macro.test"));
    assertEquals(SpfResult.FAIL, result("192.0.2.9", "bob@macro.test"));
    assertEquals(SpfResult.PASS, result("192.0.2.3", "x@cidr.test"));
    assertEquals(SpfResult.FAIL, result("192.0.3.3", "x@cidr.test"));
    assertEquals(SpfResult.PASS, result("2001:db8::25", "x@ip6.test"));
    assertEquals(SpfResult.FAIL, result("192.0.2.9", "x@ip6.test"));
  }

  @Test
  void nullSenderChecksPostmasterAtHelo() throws Exception {
    SpfVerdict v = spf.check(InetAddress.getByName("192.0.2.5"), "", "pass.test").await();
    assertEquals(SpfResult.PASS, v.result());
    assertEquals("pass.test", v.domain());
  }
}
