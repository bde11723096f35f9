package io.hermod.tlspolicy.sts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.config.DnsConfig;
import io.hermod.config.MtaStsConfig;
import io.hermod.metrics.HermodMetrics;
import io.hermod.routing.MxResolver;
import io.hermod.tlspolicy.OpensslCa;
import io.hermod.tlspolicy.PolicyHttpsServer;
import io.hermod.tlspolicy.PolicyHttpsServer.Answer;
import io.hermod.tlspolicy.PolicySource;
import io.hermod.tlspolicy.StsPolicy;
import io.hermod.tlspolicy.TlsOutcome;
import io.hermod.tlspolicy.TlsResultType;
import io.hermod.tlspolicy.web.DnsjavaPolicyDns;
import io.hermod.tlspolicy.web.HttpsClient;
import io.hermod.testing.TestDnsServer;
import io.hermod.testing.Wait;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * MTA-STS against real peers on loopback: policy hosts on an HTTPS server whose certificates come from a CA made
 * in the test (which the source is told to trust), DNS from {@link TestDnsServer}, the cache file in a temporary
 * spool directory. TLS-RPT failures go to a recording {@link io.hermod.tlspolicy.TlsReportSink} (the seam).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MtaStsPoliciesTest {

  private static final String ENFORCE = "version: STSv1\r\nmode: enforce\r\nmx: mx1.enforce.test\r\n"
      + "mx: *.mx.enforce.test\r\nmax_age: 86400\r\n";
  private static final List<String> GOOD_DOMAINS = List.of("enforce.test", "testing.test", "none.test",
      "redirect.test", "big.test", "html.test", "invalid.test", "missing.test", "change.test", "down.test");

  @TempDir
  static Path certs;
  private static OpensslCa ca;
  private static List<OpensslCa.Issued> certificates;

  @TempDir
  Path spool;
  private Vertx vertx;
  private TestDnsServer dns;
  private PolicyHttpsServer server;
  private final List<MxResolver> resolvers = new ArrayList<>();
  private final List<HttpsClient> clients = new ArrayList<>();
  private final List<MtaStsPolicies> sources = new ArrayList<>();
  private final List<TlsOutcome> reported = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void makeCertificates() throws Exception {
    ca = OpensslCa.create(certs, "good");
    OpensslCa rogue = OpensslCa.create(certs, "rogue");
    List<String> names = GOOD_DOMAINS.stream().map(d -> "mta-sts." + d).toList();
    certificates = List.of(ca.issue(names.toArray(String[]::new)), rogue.issue("mta-sts.rogue.test"));
  }

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    dns = TestDnsServer.start(vertx).await(10, TimeUnit.SECONDS);
    server = new PolicyHttpsServer().start(vertx, certificates).await(10, TimeUnit.SECONDS);
    for (String d : List.of("enforce.test", "testing.test", "none.test", "redirect.test", "big.test", "html.test",
        "invalid.test", "missing.test", "change.test", "down.test", "rogue.test", "wrongname.test")) {
      dns.txt("_mta-sts." + d, "v=STSv1; id=1;").a("mta-sts." + d, "127.0.0.1");
    }
    policy("enforce.test", ENFORCE);
    policy("testing.test", "version: STSv1\nmode: testing\nmx: mx.testing.test\nmax_age: 3600\n");
    policy("none.test", "version: STSv1\nmode: none\nmax_age: 3600\n");
    policy("rogue.test", ENFORCE);
    policy("wrongname.test", ENFORCE);
  }

  @AfterEach
  void stop() throws Exception {
    sources.forEach(MtaStsPolicies::stop);
    clients.forEach(HttpsClient::close);
    resolvers.forEach(MxResolver::close);
    server.close().await(10, TimeUnit.SECONDS);
    dns.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void done() {
    // the certificates' folder is removed by @TempDir
  }

  private void policy(String domain, String text) {
    server.answer("mta-sts." + domain, PolicyFetcher.PATH, Answer.policy(text));
  }

  private MtaStsPolicies source(Vertx on, Path spoolDir, int refreshSeconds) throws Exception {
    // No DNS cache (cacheSize 0): a TXT record the test changes is seen at once.
    MxResolver resolver = new MxResolver(on, new DnsConfig(List.of(dns.address()), 3000, 0));
    resolvers.add(resolver);
    DnsjavaPolicyDns policyDns = new DnsjavaPolicyDns(on, resolver.dns());
    HttpsClient https = new HttpsClient(on, policyDns, ca.caFile().toString());
    clients.add(https);
    MtaStsConfig config = new MtaStsConfig(true, ca.caFile().toString(), server.port(), 3000, 65_536, 100, 8,
        refreshSeconds);
    MtaStsPolicies source = MtaSts.create(on, config, spoolDir, policyDns, https, reported::add,
        new HermodMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
    sources.add(source);
    return source.start(refreshSeconds).await(10, TimeUnit.SECONDS);
  }

  private MtaStsPolicies source() throws Exception {
    return source(vertx, spool, 3600);
  }

  private static Optional<StsPolicy> ask(MtaStsPolicies source, String domain) throws Exception {
    return source.policy(domain).await(10, TimeUnit.SECONDS);
  }

  @Test
  void enforceTestingAndNonePoliciesAreParsedAndCached() throws Exception {
    MtaStsPolicies source = source();

    StsPolicy enforce = ask(source, "Enforce.Test.").orElseThrow();
    assertEquals(StsPolicy.Mode.ENFORCE, enforce.mode());
    assertEquals(List.of("mx1.enforce.test", "*.mx.enforce.test"), enforce.mx());
    assertEquals(86400, enforce.maxAge());
    assertEquals("1", enforce.id());
    assertTrue(enforce.allows("a.mx.enforce.test") && !enforce.allows("mx2.enforce.test"));
    assertEquals(StsPolicy.Mode.TESTING, ask(source, "testing.test").orElseThrow().mode());
    assertEquals(Optional.empty(), ask(source, "none.test"), "mode none is no policy");
    assertEquals(Optional.empty(), ask(source, "nothing.test"), "no TXT record: no policy, nothing fetched");

    for (int i = 0; i < 3; i++) {
      assertEquals(enforce, ask(source, "enforce.test").orElseThrow());
      assertEquals(Optional.empty(), ask(source, "none.test"));
    }
    assertEquals(1, server.requests("mta-sts.enforce.test"), "cached: fetched once");
    assertEquals(1, server.requests("mta-sts.none.test"), "a none policy is cached too");
    assertEquals(0, server.requests("mta-sts.nothing.test"));
    assertEquals(List.of("version: STSv1", "mode: enforce", "mx: mx1.enforce.test", "mx: *.mx.enforce.test",
        "max_age: 86400"), source.policyLines("enforce.test").orElseThrow());
    assertEquals(List.of(), reported);
  }

  @Test
  void badFetchesGiveNoPolicyAndTheirTlsRptFailure() throws Exception {
    server.answer("mta-sts.redirect.test", PolicyFetcher.PATH,
        new Answer(301, Map.of("Location", "https://mta-sts.enforce.test" + PolicyFetcher.PATH), Buffer.buffer()));
    server.answer("mta-sts.big.test", PolicyFetcher.PATH, Answer.policy("version: STSv1\nmode: none\nmax_age: 1\n"
        + "x: " + "y".repeat(70_000) + "\n"));
    server.answer("mta-sts.html.test", PolicyFetcher.PATH,
        new Answer(200, Map.of("Content-Type", "text/html"), Buffer.buffer(ENFORCE)));
    policy("invalid.test", "version: STSv1\nmode: enforce\nmax_age: 86400\n"); // enforce without mx
    // missing.test: 404; down.test: no server at its address
    dns.nxdomain("mta-sts.down.test").a("mta-sts.down.test", "127.0.0.9");
    MtaStsPolicies source = source();

    Map<String, TlsResultType> expected = Map.of(
        "redirect.test", TlsResultType.STS_POLICY_FETCH_ERROR,
        "big.test", TlsResultType.STS_POLICY_FETCH_ERROR,
        "missing.test", TlsResultType.STS_POLICY_FETCH_ERROR,
        "down.test", TlsResultType.STS_POLICY_FETCH_ERROR,
        "html.test", TlsResultType.STS_POLICY_INVALID,
        "invalid.test", TlsResultType.STS_POLICY_INVALID,
        "wrongname.test", TlsResultType.STS_WEBPKI_INVALID,
        "rogue.test", TlsResultType.STS_WEBPKI_INVALID);
    for (Map.Entry<String, TlsResultType> e : expected.entrySet()) {
      reported.clear();
      assertEquals(Optional.empty(), ask(source, e.getKey()), e.getKey());
      assertEquals(1, reported.size(), e.getKey() + ": " + reported);
      TlsOutcome outcome = reported.get(0);
      assertEquals(e.getValue(), outcome.failure(), e.getKey() + ": " + outcome.detail());
      assertEquals(e.getKey(), outcome.policy().policyDomain());
      assertEquals(PolicySource.MTA_STS, outcome.policy().source());
    }
    assertEquals(1, server.requests("mta-sts.redirect.test"));
    assertEquals(0, server.requests("mta-sts.enforce.test"), "the redirect was not followed");
    assertEquals(0, server.requests("mta-sts.wrongname.test"), "no request after a failed certificate check");
    assertEquals(0, server.requests("mta-sts.rogue.test"));
  }

  @Test
  void theCacheSurvivesARestart() throws Exception {
    MtaStsPolicies first = source();
    StsPolicy fetched = ask(first, "enforce.test").orElseThrow();
    first.flushed().await(10, TimeUnit.SECONDS);
    assertTrue(Files.size(spool.resolve("mta-sts/policies.json")) > 0);

    // A new Vert.x (nothing shared in memory) and a new source on the same spool directory; the policy host now
    // answers 500, so a fetch could not succeed.
    server.answer("mta-sts.enforce.test", PolicyFetcher.PATH, new Answer(500, Map.of(), Buffer.buffer()));
    Vertx second = Vertx.vertx();
    try {
      MtaStsPolicies restarted = source(second, spool, 3600);
      assertEquals(Optional.of(fetched), ask(restarted, "enforce.test"));
      assertEquals(1, server.requests("mta-sts.enforce.test"), "served from the file, not fetched");
      assertEquals(List.of(), reported);
    } finally {
      second.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aNewIdIsFetchedAndAFailedFetchKeepsTheCachedPolicy() throws Exception {
    policy("change.test", "version: STSv1\nmode: testing\nmx: mx.change.test\nmax_age: 86400\n");
    MtaStsPolicies source = source();
    assertEquals(StsPolicy.Mode.TESTING, ask(source, "change.test").orElseThrow().mode());

    policy("change.test", "version: STSv1\nmode: enforce\nmx: mx.change.test\nmax_age: 86400\n");
    assertEquals(StsPolicy.Mode.TESTING, ask(source, "change.test").orElseThrow().mode(), "same id: cached");
    assertEquals(1, server.requests("mta-sts.change.test"));

    dns.nxdomain("_mta-sts.change.test").txt("_mta-sts.change.test", "v=STSv1; id=2;");
    StsPolicy second = ask(source, "change.test").orElseThrow();
    assertEquals(StsPolicy.Mode.ENFORCE, second.mode());
    assertEquals("2", second.id());
    assertEquals(2, server.requests("mta-sts.change.test"));

    // id 3, but the policy host fails: the valid cached policy (id 2) stays in use, and nothing is reported.
    server.answer("mta-sts.change.test", PolicyFetcher.PATH, new Answer(503, Map.of(), Buffer.buffer()));
    dns.nxdomain("_mta-sts.change.test").txt("_mta-sts.change.test", "v=STSv1; id=3;");
    assertEquals(Optional.of(second), ask(source, "change.test"));
    assertEquals(3, server.requests("mta-sts.change.test"));
    // The TXT record gone: the cached policy still applies (RFC 8461 §5.1).
    dns.nxdomain("_mta-sts.change.test");
    assertEquals(Optional.of(second), ask(source, "change.test"));
    assertEquals(List.of(), reported);
  }

  @Test
  void aPolicyOneSourceFetchedServesAnotherThroughSharedData() throws Exception {
    MtaStsPolicies a = source(vertx, spool.resolve("a"), 3600);
    MtaStsPolicies b = source(vertx, spool.resolve("b"), 3600);
    StsPolicy fetched = ask(a, "enforce.test").orElseThrow();
    assertEquals(Optional.of(fetched), ask(b, "enforce.test"));
    assertEquals(1, server.requests("mta-sts.enforce.test"));
  }

  @Test
  void policiesPastHalfTheirMaxAgeAreRefreshedInTheBackground() throws Exception {
    policy("testing.test", "version: STSv1\nmode: testing\nmx: mx.testing.test\nmax_age: 2\n");
    MtaStsPolicies source = source(vertx, spool, 1);
    assertEquals(StsPolicy.Mode.TESTING, ask(source, "testing.test").orElseThrow().mode());
    policy("testing.test", "version: STSv1\nmode: enforce\nmx: mx.testing.test\nmax_age: 3600\n");

    Wait.until(() -> server.requests("mta-sts.testing.test") >= 2, "a background refresh", 10);
    Wait.until(() -> source.policyLines("testing.test").map(l -> l.contains("mode: enforce")).orElse(false),
        "the refreshed policy cached", 10);
    assertEquals(StsPolicy.Mode.ENFORCE, ask(source, "testing.test").orElseThrow().mode());
  }

  @Test
  void fetchesOfOneDomainAreShared() throws Exception {
    MtaStsPolicies source = source();
    List<Future<Optional<StsPolicy>>> asks = new ArrayList<>();
    vertx.runOnContext(v -> {
      for (int i = 0; i < 5; i++) {
        asks.add(source.policy("enforce.test"));
      }
    });
    Wait.until(() -> asks.size() == 5, "asked", 5);
    for (Future<Optional<StsPolicy>> f : asks) {
      assertEquals(StsPolicy.Mode.ENFORCE, f.await(10, TimeUnit.SECONDS).orElseThrow().mode());
    }
    assertEquals(1, server.requests("mta-sts.enforce.test"));
  }
}
