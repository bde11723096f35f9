package io.hermod.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.config.DnsConfig;
import io.hermod.testing.TestDnsServer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.Type;

@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class MxResolverTest {

  /** Generous: an answer slower than a try (1 s) is asked again, which would upset the query counts below. */
  private static final int TIMEOUT_MILLIS = 3000;

  private Vertx vertx;
  private TestDnsServer dns;
  private MxResolver resolver;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    dns = await(TestDnsServer.start(vertx));
    resolver = resolverWith(1000, dns.address());
  }

  @AfterEach
  void stop() throws Exception {
    resolver.close();
    await(dns.close());
  }

  private MxResolver resolverWith(int cacheSize, InetSocketAddress... servers) {
    return new MxResolver(vertx, new DnsConfig(List.of(servers), TIMEOUT_MILLIS, cacheSize));
  }

  @Test
  void ordersExchangersByPreference() throws Exception {
    dns.mx("example.test", 20, "mx2.example.test").mx("example.test", 10, "mx1.example.test")
        .a("mx1.example.test", "192.0.2.1").a("mx2.example.test", "192.0.2.2");

    List<MxHost> hosts = hosts(resolver.resolve("example.test"));

    assertEquals(List.of("mx1.example.test", "mx2.example.test"), hosts.stream().map(MxHost::name).toList());
    assertEquals(List.of(10, 20), hosts.stream().map(MxHost::preference).toList());
  }

  @Test
  void shufflesExchangersOfEqualPreference() throws Exception {
    dns.mx("example.test", 10, "a.example.test").mx("example.test", 10, "b.example.test")
        .mx("example.test", 20, "c.example.test")
        .a("a.example.test", "192.0.2.1").a("b.example.test", "192.0.2.2").a("c.example.test", "192.0.2.3");

    Set<String> firsts = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      List<MxHost> hosts = hosts(resolver.resolve("example.test"));
      firsts.add(hosts.get(0).name());
      assertEquals("c.example.test", hosts.get(2).name());
    }

    assertEquals(Set.of("a.example.test", "b.example.test"), firsts);
  }

  @Test
  void resolvesIpv4ThenIpv6OfEachExchanger() throws Exception {
    dns.mx("example.test", 10, "dual.example.test").mx("example.test", 20, "v6.example.test")
        .aaaa("dual.example.test", "2001:db8::1").a("dual.example.test", "192.0.2.1")
        .aaaa("v6.example.test", "2001:db8::2");

    List<MxHost> hosts = hosts(resolver.resolve("example.test"));

    assertEquals(List.of(ip("192.0.2.1"), ip("2001:db8::1")), hosts.get(0).addresses());
    assertEquals(List.of(ip("2001:db8::2")), hosts.get(1).addresses());
  }

  @Test
  void dropsExchangersWithoutAddresses() throws Exception {
    dns.mx("example.test", 10, "gone.example.test").mx("example.test", 20, "mx.example.test")
        .a("mx.example.test", "192.0.2.1");

    assertEquals(List.of("mx.example.test"), hosts(resolver.resolve("example.test")).stream().map(MxHost::name).toList());
  }

  @Test
  void defersWhenNoExchangerHasAnAddress() throws Exception {
    dns.mx("example.test", 10, "gone.example.test").mx("example.test", 20, "empty.example.test")
        .txt("empty.example.test", "no address here");

    Resolution.TempFail fail = assertInstanceOf(Resolution.TempFail.class, await(resolver.resolve("example.test")));

    assertTrue(fail.detail().startsWith("no address for MX hosts"), fail.detail());
    assertEquals("4.4.3", fail.enhancedStatus());
  }

  @Test
  void usesTheDomainItselfWithoutMx() throws Exception {
    dns.a("plain.test", "192.0.2.7").aaaa("plain.test", "2001:db8::7");

    List<MxHost> hosts = hosts(resolver.resolve("plain.test"));

    assertEquals(List.of(new MxHost("plain.test", 0, List.of(ip("192.0.2.7"), ip("2001:db8::7")))), hosts);
  }

  @Test
  void nullMxBouncesWith556() throws Exception {
    dns.nullMx("nomail.test").a("nomail.test", "192.0.2.9");

    Resolution.Failure failure = failure(resolver.resolve("nomail.test"));

    assertEquals(new Resolution.NullMx("nomail.test"), failure);
    assertEquals(556, failure.replyCode());
    assertEquals("5.1.10", failure.enhancedStatus());
    assertTrue(failure.permanent());
  }

  @Test
  void nxdomainBouncesWith512() throws Exception {
    Resolution.Failure failure = failure(resolver.resolve("missing.test"));

    assertEquals(new Resolution.NoSuchDomain("missing.test"), failure);
    assertEquals("5.1.2", failure.enhancedStatus());
    assertTrue(failure.permanent());
  }

  @Test
  void domainWithoutMxOrAddressesIsUnroutable() throws Exception {
    dns.txt("bare.test", "exists");

    Resolution.Failure failure = failure(resolver.resolve("bare.test"));

    assertEquals(new Resolution.Unroutable("bare.test"), failure);
    assertEquals("5.4.4", failure.enhancedStatus());
    assertTrue(failure.permanent());
  }

  @Test
  void servfailDefers() throws Exception {
    dns.servfail("broken.test");

    Resolution.Failure failure = failure(resolver.resolve("broken.test"));

    assertInstanceOf(Resolution.TempFail.class, failure);
    assertTrue(failure.detail().contains("SERVFAIL"), failure.detail());
    assertEquals(451, failure.replyCode());
    assertEquals("4.4.3", failure.enhancedStatus());
    assertTrue(!failure.permanent());
  }

  @Test
  void slowServerDefersAfterTheTimeout() throws Exception {
    dns.mx("slow.test", 10, "mx.slow.test").a("mx.slow.test", "192.0.2.1").delay("slow.test", 5_000);
    MxResolver impatient = new MxResolver(vertx, new DnsConfig(List.of(dns.address()), 300, 1000));

    Resolution.Failure failure = failure(impatient.resolve("slow.test"));
    impatient.close();

    assertInstanceOf(Resolution.TempFail.class, failure);
    assertTrue(failure.detail().contains("timed out"), failure.detail());
  }

  @Test
  void asksTheNextResolverWhenOneTimesOut() throws Exception {
    TestDnsServer mute = await(TestDnsServer.start(vertx));
    mute.delay("example.test", 5_000).delay("mx.example.test", 5_000);
    dns.mx("example.test", 10, "mx.example.test").a("mx.example.test", "192.0.2.1");
    DnsConfig config = new DnsConfig(List.of(mute.address(), dns.address()), 2000, 1000).withTries(100, 3);
    try (MxResolver twoServers = new MxResolver(vertx, config)) {

      assertEquals("mx.example.test", hosts(twoServers.resolve("example.test")).get(0).name());
      assertEquals(1, mute.queries("example.test", Type.MX));
      assertEquals(1, dns.queries("example.test", Type.MX));
    } finally {
      await(mute.close());
    }
  }

  @Test
  void addressLiteralsNeedNoDns() throws Exception {
    assertEquals(List.of(new MxHost("192.0.2.1", 0, List.of(ip("192.0.2.1")))), hosts(resolver.resolve("[192.0.2.1]")));
    assertEquals(List.of(ip("2001:db8::1")), hosts(resolver.resolve("[IPv6:2001:db8::1]")).get(0).addresses());
    assertEquals(new Resolution.NoSuchDomain("[300.1.1.1]"), await(resolver.resolve("[300.1.1.1]")));
    assertEquals(List.of(ip("192.0.2.5")), await(resolver.resolveHost("192.0.2.5")));
  }

  @Test
  void resolvesNextHopHosts() throws Exception {
    dns.a("relay.test", "192.0.2.4").aaaa("relay.test", "2001:db8::4").txt("bare.test", "exists");

    assertEquals(List.of(ip("192.0.2.4"), ip("2001:db8::4")), await(resolver.resolveHost("relay.test")));
    assertEquals(new Resolution.NoSuchDomain("nowhere.test"), hostFailure(resolver.resolveHost("nowhere.test")));
    assertEquals(new Resolution.Unroutable("bare.test"), hostFailure(resolver.resolveHost("bare.test")));
  }

  @Test
  void cachesPositiveAnswersForTheirTtl() throws Exception {
    dns.ttl(300).mx("long.test", 10, "mx.long.test").a("mx.long.test", "192.0.2.1");
    dns.ttl(1).mx("short.test", 10, "mx.short.test").a("mx.short.test", "192.0.2.2");

    hosts(resolver.resolve("long.test"));
    hosts(resolver.resolve("long.test"));
    hosts(resolver.resolve("short.test"));
    sleepPast(1); // dnsjava's cache counts whole seconds: 1.1 s always expires a TTL of 1
    hosts(resolver.resolve("short.test"));

    assertEquals(1, dns.queries("long.test", Type.MX));
    assertEquals(1, dns.queries("mx.long.test", Type.A));
    assertEquals(2, dns.queries("short.test", Type.MX));
    assertEquals(2, dns.queries("mx.short.test", Type.A));
  }

  @Test
  void cachesNegativeAnswersForTheSoaMinimum() throws Exception {
    dns.negativeTtl(300).a("nomx.test", "192.0.2.3");

    await(resolver.resolve("missing.test"));
    assertEquals(new Resolution.NoSuchDomain("missing.test"), await(resolver.resolve("missing.test")));
    hosts(resolver.resolve("nomx.test"));
    hosts(resolver.resolve("nomx.test")); // the cached NODATA comes back as an exception: still implicit MX
    dns.negativeTtl(1);
    await(resolver.resolve("brief.test"));
    sleepPast(1);
    await(resolver.resolve("brief.test"));

    assertEquals(1, dns.queries("missing.test", Type.MX));
    assertEquals(1, dns.queries("nomx.test", Type.MX));
    assertEquals(1, dns.queries("nomx.test", Type.AAAA));
    assertEquals(2, dns.queries("brief.test", Type.MX));
  }

  @Test
  void cacheSizeZeroAsksEveryTime() throws Exception {
    dns.mx("example.test", 10, "mx.example.test").a("mx.example.test", "192.0.2.1");
    try (MxResolver uncached = resolverWith(0, dns.address())) {
      hosts(uncached.resolve("example.test"));
      hosts(uncached.resolve("example.test"));
    }
    assertEquals(2, dns.queries("example.test", Type.MX));
  }

  @Test
  void answersOnTheCallersContext(VertxTestContext test) {
    dns.mx("example.test", 10, "mx.example.test").a("mx.example.test", "192.0.2.1");
    Context context = vertx.getOrCreateContext();
    var checkpoint = test.checkpoint(3);
    context.runOnContext(v -> {
      resolver.resolve("example.test").onComplete(test.succeeding(r -> test.verify(() -> {
        assertSame(context, Vertx.currentContext());
        checkpoint.flag();
      })));
      resolver.resolve("[192.0.2.1]").onComplete(test.succeeding(r -> test.verify(() -> {
        assertSame(context, Vertx.currentContext());
        checkpoint.flag();
      })));
      resolver.resolveHost("mx.example.test").onComplete(test.succeeding(r -> test.verify(() -> {
        assertSame(context, Vertx.currentContext());
        checkpoint.flag();
      })));
    });
  }

  @Test
  void closedResolverDefersInsteadOfThrowing() throws Exception {
    MxResolver closed = resolverWith(10, dns.address());
    closed.close();

    assertInstanceOf(Resolution.TempFail.class, await(closed.resolve("example.test")));
  }

  @Test
  void resolversMustBeIpAddresses() {
    DnsConfig byName = new DnsConfig(List.of(InetSocketAddress.createUnresolved("dns.example", 53)), 1000, 10);
    assertThrows(IllegalArgumentException.class, () -> new MxResolver(vertx, byName));
    DnsConfig literal = new DnsConfig(List.of(InetSocketAddress.createUnresolved("127.0.0.1", 53)), 1000, 10);
    new MxResolver(vertx, literal).close();
  }

  private List<MxHost> hosts(Future<Resolution> resolution) throws Exception {
    Resolution r = await(resolution);
    return assertInstanceOf(Resolution.Hosts.class, r, r::toString).hosts();
  }

  private Resolution.Failure failure(Future<Resolution> resolution) throws Exception {
    return assertInstanceOf(Resolution.Failure.class, await(resolution));
  }

  private Resolution.Failure hostFailure(Future<List<InetAddress>> addresses) throws Exception {
    Future<List<InetAddress>> done = addresses.transform(ar -> Future.succeededFuture(ar.result()));
    await(done);
    return assertInstanceOf(ResolutionException.class, addresses.cause()).failure();
  }

  private void sleepPast(int seconds) throws Exception {
    Promise<Void> later = Promise.promise();
    vertx.setTimer(seconds * 1000L + 100, t -> later.complete());
    await(later.future());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }
}
