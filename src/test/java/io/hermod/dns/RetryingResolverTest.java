package io.hermod.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.config.DnsConfig;
import io.hermod.metrics.HermodMetrics;
import io.hermod.routing.DnsAnswer;
import io.hermod.routing.MxResolver;
import io.hermod.routing.Resolution;
import io.hermod.testing.TestDnsServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Retransmission, per-resolver bounds, question sharing and TCP fallback, through {@link MxResolver} against
 * real UDP/TCP servers on 127.0.0.1 that drop, delay or truncate. Behaviour is asserted, not durations.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RetryingResolverTest {

  private Vertx vertx;
  private TestDnsServer dns;
  private SimpleMeterRegistry registry;
  private final List<MxResolver> resolvers = new ArrayList<>();
  private final List<TestDnsServer> servers = new ArrayList<>();

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    this.registry = new SimpleMeterRegistry();
    dns = server();
  }

  @AfterEach
  void stop() throws Exception {
    resolvers.forEach(MxResolver::close);
    for (TestDnsServer server : servers) {
      await(server.close());
    }
  }

  @Test
  void everyLookupSucceedsThroughAResolverDroppingEveryTenthQuery() throws Exception {
    int domains = 300;
    zone(dns, domains);
    dns.dropEvery(10);
    MxResolver resolver = resolver(config(dns.address()).withTries(50, 6));

    Map<String, Resolution> failures = resolveAll(resolver, domains, 100);

    assertEquals(Map.of(), failures);
    assertTrue(dns.dropped() >= 3 * domains / 10, "dropped " + dns.dropped());
    assertTrue(count("hermod.dns.retransmissions") >= dns.dropped(),
        count("hermod.dns.retransmissions") + " retransmissions for " + dns.dropped() + " dropped queries");
    assertTrue(count("hermod.dns.query.timeouts") >= dns.dropped());
    // Every query sent is counted; on a busy machine the kernel may drop some before the server reads them.
    assertTrue(count("hermod.dns.queries") >= dns.totalQueries());
    until("every slot given back", () -> gauge("hermod.dns.outstanding") == 0);
  }

  @Test
  void aRetransmissionHasANewIdAndGoesToTheNextResolver() throws Exception {
    TestDnsServer lossy = server();
    lossy.dropShare(1.0, 1);
    dns.mx("example.test", 10, "mx.example.test").a("mx.example.test", "192.0.2.1");
    MxResolver resolver = resolver(config(lossy.address(), dns.address()).withTries(500, 3));

    assertInstanceOf(Resolution.Hosts.class, await(resolver.resolve("example.test")));

    assertEquals(1, lossy.queries("example.test", Type.MX));
    assertEquals(1, dns.queries("example.test", Type.MX));
    assertNotEquals(lossy.queryIds("example.test", Type.MX), dns.queryIds("example.test", Type.MX));
    // MX, then A and AAAA of the exchanger: each lost once at the first resolver, answered by the second
    assertEquals(3.0, counter("hermod.dns.query.timeouts", "resolver", name(lossy.address())));
    assertEquals(3.0, counter("hermod.dns.retransmissions", "resolver", name(dns.address())));
  }

  @Test
  void aServfailIsAskedOfTheNextResolver() throws Exception {
    TestDnsServer failing = server();
    failing.servfail("example.test");
    dns.a("example.test", "192.0.2.1");
    MxResolver resolver = resolver(config(failing.address(), dns.address()).withTries(1000, 3));

    assertInstanceOf(Resolution.Hosts.class, await(resolver.resolve("example.test")));

    assertEquals(1, failing.queries("example.test", Type.MX));
    assertEquals(1, dns.queries("example.test", Type.MX));
  }

  @Test
  void queriesAwaitingAnAnswerFromOneResolverAreBounded() throws Exception {
    int domains = 100;
    zone(dns, domains);
    dns.delayAll(10);
    MxResolver resolver = resolver(config(dns.address()).withBounds(4, 10_000));

    assertEquals(Map.of(), resolveAll(resolver, domains, domains));

    assertEquals(4, dns.mostHeldAtOnce());
    assertEquals(3 * domains, dns.totalQueries());
    until("every slot given back", () -> gauge("hermod.dns.outstanding") == 0 && gauge("hermod.dns.queued") == 0);
  }

  @Test
  void aFullQueueFailsAQueryAtOnceWithItsReason() throws Exception {
    zone(dns, 5);
    dns.delayAll(300);
    MxResolver resolver = resolver(config(dns.address()).withBounds(1, 2));
    var context = vertx.getOrCreateContext();

    List<Future<DnsAnswer>> answers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      answers.add(resolver.dns().query(Name.fromString("d" + i + ".wild.test."), Type.A, context));
    }
    await(Future.join(answers));

    List<DnsAnswer.Kind> kinds = answers.stream().map(a -> a.result().kind()).toList();
    assertEquals(3, kinds.stream().filter(k -> k == DnsAnswer.Kind.RECORDS).count(), kinds.toString());
    for (Future<DnsAnswer> a : answers) {
      if (a.result().kind() == DnsAnswer.Kind.FAILED) {
        assertTrue(a.result().failure().contains("dns.maxQueuedPerResolver"), a.result().failure());
      }
    }
    assertEquals(3, dns.totalQueries());
  }

  @Test
  void identicalQuestionsInFlightAreAskedOnce() throws Exception {
    dns.a("same.test", "192.0.2.1").delay("same.test", 200);
    MxResolver resolver = resolver(new DnsConfig(List.of(dns.address()), 2000, 0)); // no cache: sharing alone

    List<Future<Resolution>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(resolver.resolve("same.test"));
    }
    await(Future.all(all));

    all.forEach(r -> assertInstanceOf(Resolution.Hosts.class, r.result()));
    assertEquals(1, dns.queries("same.test", Type.MX));
    assertEquals(1, dns.queries("same.test", Type.A));
    assertEquals(1, dns.queries("same.test", Type.AAAA));
  }

  /**
   * The caller's callback runs on the thread that completes the answer, before anything registered on the shared
   * future earlier; a question it asks again must go to the server (whose data changed), not join the finished one.
   */
  @Test
  void aQuestionAskedAgainFromTheAnswersCallbackIsSentAgain() throws Exception {
    dns.txt("again.test", "v=1");
    RetryingResolver resolver = new RetryingResolver(List.of(dns.address()), new DnsConfig(List.of(dns.address()),
        5000, 0), new VertxDnsTransport(vertx), new HermodMetrics(registry));
    Message query = Message.newQuery(Record.newRecord(Name.fromString("again.test."), Type.TXT, DClass.IN));

    Message second = resolver.sendAsync(query, Runnable::run).thenCompose(first -> {
      assertEquals("[v=1]", txt(first));
      dns.nxdomain("again.test").txt("again.test", "v=2");
      return resolver.sendAsync(query.clone(), Runnable::run);
    }).toCompletableFuture().get(30, TimeUnit.SECONDS);

    assertEquals("[v=2]", txt(second));
    assertEquals(2, dns.queries("again.test", Type.TXT));
  }

  private static String txt(Message answer) {
    return answer.getSection(Section.ANSWER).stream().map(r -> ((TXTRecord) r).getStrings().toString()).findFirst()
        .orElse("none");
  }

  @Test
  void aTruncatedAnswerIsAskedAgainOverTcp() throws Exception {
    dns.mx("big.test", 10, "mx.big.test").a("mx.big.test", "192.0.2.1").truncate("big.test");
    MxResolver resolver = resolver(config(dns.address()));

    Resolution.Hosts hosts = assertInstanceOf(Resolution.Hosts.class, await(resolver.resolve("big.test")));

    assertEquals("mx.big.test", hosts.hosts().get(0).name());
    assertEquals(2, dns.queries("big.test", Type.MX));
    assertEquals(1, dns.tcpQueries("big.test", Type.MX));
  }

  @Test
  void aSilentResolverFailsTheQuestionAtItsDeadlineAfterEveryTry() throws Exception {
    dns.a("example.test", "192.0.2.1").dropShare(1.0, 1);
    MxResolver resolver = resolver(new DnsConfig(List.of(dns.address()), 1000, 100).withTries(100, 3));

    Resolution.TempFail fail = assertInstanceOf(Resolution.TempFail.class, await(resolver.resolve("example.test")));

    assertEquals("DNS lookup of example.test./MX failed: timed out: 3 queries unanswered in 1000 ms", fail.detail());
    assertEquals(3, dns.queries("example.test", Type.MX));
    assertEquals(3, dns.queryIds("example.test", Type.MX).stream().distinct().count());
  }

  /**
   * The scenario, smaller: ten thousand distinct domains (A only: implicit MX, three questions each)
   * through a resolver that drops 5 % of the queries. Without retransmission (one try) a share of lookups
   * fails; with it, none.
   */
  @Test
  void tenThousandDomainsThroughAResolverDroppingFivePercent() throws Exception {
    int domains = 10_000;
    zone(dns, domains);
    dns.dropShare(0.05, 22);
    MxResolver oneTry = new MxResolver(vertx, new DnsConfig(List.of(dns.address()), 300, 0).withTries(300, 1));
    resolvers.add(oneTry); // counted apart: the meters below are the retrying resolver's
    int control = 2_000;
    int failedWithoutRetransmission = resolveAll(oneTry, control, 200).size();

    MxResolver retrying = resolver(new DnsConfig(List.of(dns.address()), 6000, 0).withTries(100, 6));
    int droppedBefore = dns.dropped();
    long started = System.nanoTime();
    Map<String, Resolution> failures = resolveAll(retrying, domains, 500);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    System.out.printf("dns scenario: one try: %d of %d lookups failed; with retransmission: %d of %d failed,"
            + " %d queries dropped, %.0f retransmissions, %d ms%n", failedWithoutRetransmission, control,
        failures.size(), domains, dns.dropped() - droppedBefore, count("hermod.dns.retransmissions"), millis);
    assertTrue(failedWithoutRetransmission > 0, "the drops make single queries fail");
    assertEquals(Map.of(), failures);
  }

  private TestDnsServer server() throws Exception {
    TestDnsServer server = await(TestDnsServer.start(vertx));
    servers.add(server);
    return server;
  }

  private MxResolver resolver(DnsConfig config) {
    MxResolver resolver = new MxResolver(vertx, config, new HermodMetrics(registry));
    resolvers.add(resolver);
    return resolver;
  }

  private static DnsConfig config(InetSocketAddress... servers) {
    return new DnsConfig(List.of(servers), 5000, 1000);
  }

  /** d0.wild.test ... d(n-1).wild.test, each with one A record (implicit MX). */
  private static void zone(TestDnsServer server, int n) {
    for (int i = 0; i < n; i++) {
      server.a("d" + i + ".wild.test", "192.0.2." + (i % 250 + 1));
    }
  }

  /** Resolves the first {@code n} domains of {@link #zone}, at most {@code parallel} at once; the failures. */
  private static Map<String, Resolution> resolveAll(MxResolver resolver, int n, int parallel) throws Exception {
    Map<String, Resolution> failures = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(n);
    Runnable[] worker = new Runnable[1];
    worker[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= n) {
        return;
      }
      String domain = "d" + i + ".wild.test";
      resolver.resolve(domain).onComplete(r -> {
        if (!(r.result() instanceof Resolution.Hosts)) {
          failures.put(domain, r.result());
        }
        done.countDown();
        worker[0].run();
      });
    };
    for (int k = 0; k < parallel; k++) {
      worker[0].run();
    }
    assertTrue(done.await(50, TimeUnit.SECONDS), "lookups left: " + done.getCount());
    return failures;
  }

  /** Polls {@code condition} every 10 ms for up to 5 s (a slot is given back just after the answer is handed on). */
  private static void until(String what, java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for: " + what);
      Thread.sleep(10);
    }
  }

  private double count(String meter) {
    return registry.find(meter).counters().stream().mapToDouble(Counter::count).sum();
  }

  private double counter(String meter, String tag, String value) {
    Counter c = registry.find(meter).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }

  private double gauge(String meter) {
    return registry.find(meter).gauges().stream().mapToDouble(g -> g.value()).sum();
  }

  private static String name(InetSocketAddress address) {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(30, TimeUnit.SECONDS);
  }
}
