package io.hermod.tlspolicy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The planner around the rules, with fake sources at the {@link MtaStsSource} and {@link DaneSource} seams: the
 * sources are asked once per domain or host however many messages are planned, a failed lookup is never a
 * downgrade, next hops get only configured levels.
 */
class TlsPolicyPlannerTest {

  private final AtomicInteger stsCalls = new AtomicInteger();
  private final AtomicInteger daneCalls = new AtomicInteger();

  private MtaStsSource sts(StsPolicy policy) {
    return domain -> {
      stsCalls.incrementAndGet();
      return Future.succeededFuture(Optional.ofNullable(policy));
    };
  }

  private DaneSource dane(DaneAnswer answer) {
    return (host, port) -> {
      daneCalls.incrementAndGet();
      return Future.succeededFuture(answer);
    };
  }

  private static TlsPlan now(Future<TlsPlan> f) {
    assertTrue(f.isComplete(), "the fake sources answer at once");
    return f.result();
  }

  @Test
  void sourcesAreAskedOncePerDomainAndHost() {
    StsPolicy enforce = new StsPolicy(StsPolicy.Mode.ENFORCE, List.of("mx.example.com"), 86400, "1", Instant.EPOCH);
    TlsPolicyPlanner planner = new TlsPolicyPlanner(TlsLevel.MAY, TlsPolicyMap.EMPTY, sts(enforce),
        dane(DaneAnswer.INSECURE));
    for (int i = 0; i < 5; i++) {
      TlsPlan.Hosts plan = assertInstanceOf(TlsPlan.Hosts.class,
          now(planner.plan("example.com", List.of("mx.example.com", "MX.example.com."), 25)));
      assertEquals(TlsLevel.VERIFY, plan.policyOf("mx.example.com").level());
    }
    assertEquals(1, stsCalls.get());
    assertEquals(1, daneCalls.get());
  }

  @Test
  void aConfiguredEntryAsksNoSource() {
    TlsPolicyPlanner planner = new TlsPolicyPlanner(TlsLevel.MAY, new TlsPolicyMap(Map.of("example.com", TlsLevel.ENCRYPT)),
        sts(null), dane(DaneAnswer.INSECURE));
    TlsPlan.Hosts plan = (TlsPlan.Hosts) now(planner.plan("example.com", List.of("mx.example.com"), 25));
    assertEquals(new HostTlsPolicy(TlsLevel.ENCRYPT, PolicySource.CONFIG, "example.com", false, List.of()),
        plan.policyOf("mx.example.com"));
    assertEquals(0, stsCalls.get() + daneCalls.get());
  }

  @Test
  void aFailedStsLookupBlocksInsteadOfDowngrading() {
    MtaStsSource failing = domain -> Future.failedFuture(new IllegalStateException("cache unavailable"));
    TlsPolicyPlanner planner = new TlsPolicyPlanner(TlsLevel.MAY, TlsPolicyMap.EMPTY, failing, DaneSource.NONE);
    TlsPlan.Blocked blocked = assertInstanceOf(TlsPlan.Blocked.class,
        now(planner.plan("example.com", List.of("mx.example.com"), 25)));
    assertEquals("4.4.3", blocked.status());
    assertTrue(blocked.reason().contains("MTA-STS") && blocked.reason().contains("cache unavailable"),
        blocked.reason());
  }

  @Test
  void aFailedLookupIsAskedAgainNextTime() {
    AtomicInteger calls = new AtomicInteger();
    DaneSource flaky = (host, port) -> calls.incrementAndGet() == 1
        ? Future.failedFuture(new IllegalStateException("SERVFAIL")) : Future.succeededFuture(DaneAnswer.INSECURE);
    TlsPolicyPlanner planner = new TlsPolicyPlanner(TlsLevel.MAY, TlsPolicyMap.EMPTY, MtaStsSource.NONE, flaky);
    assertInstanceOf(TlsPlan.Blocked.class, now(planner.plan("example.com", List.of("mx.example.com"), 25)));
    assertInstanceOf(TlsPlan.Hosts.class, now(planner.plan("example.com", List.of("mx.example.com"), 25)));
    assertEquals(2, calls.get());
  }

  @Test
  void lookupsInFlightAreShared() {
    Promise<Optional<StsPolicy>> pending = Promise.promise();
    AtomicInteger calls = new AtomicInteger();
    MtaStsSource slow = domain -> {
      calls.incrementAndGet();
      return pending.future();
    };
    TlsPolicyPlanner planner = new TlsPolicyPlanner(TlsLevel.MAY, TlsPolicyMap.EMPTY, slow, DaneSource.NONE);
    Future<TlsPlan> a = planner.plan("example.com", List.of("mx.example.com"), 25);
    Future<TlsPlan> b = planner.plan("example.com", List.of("mx.example.com"), 25);
    assertEquals(1, calls.get());
    pending.complete(Optional.empty());
    assertEquals(HostTlsPolicy.OPPORTUNISTIC, ((TlsPlan.Hosts) now(a)).policyOf("mx.example.com"));
    assertEquals(HostTlsPolicy.OPPORTUNISTIC, ((TlsPlan.Hosts) now(b)).policyOf("mx.example.com"));
  }

  @Test
  void nextHopsGetTheirEntryOrTheDefault() {
    TlsPolicyPlanner planner = TlsPolicyPlanner.configured(TlsLevel.ENCRYPT,
        new TlsPolicyMap(Map.of("[relay.test]:587", TlsLevel.VERIFY)));
    assertEquals(TlsLevel.VERIFY, ((TlsPlan.Hosts) planner.planNextHop("[relay.test]:587", List.of("relay.test")))
        .policyOf("relay.test").level());
    assertEquals(TlsLevel.ENCRYPT, ((TlsPlan.Hosts) planner.planNextHop("[other.test]:25", List.of("other.test")))
        .policyOf("other.test").level());
    planner.reconfigure(TlsLevel.MAY, TlsPolicyMap.EMPTY);
    assertEquals(HostTlsPolicy.OPPORTUNISTIC, ((TlsPlan.Hosts) planner.planNextHop("[relay.test]:587",
        List.of("relay.test"))).policyOf("relay.test"));
  }
}
