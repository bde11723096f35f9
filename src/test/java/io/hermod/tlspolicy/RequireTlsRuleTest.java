package io.hermod.tlspolicy;

import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 8689 in planning: which host policies authenticate a next hop (§4.2.1), and TLS-Required: No (§4.2.2). */
class RequireTlsRuleTest {

  private static final Tlsa EE = new Tlsa(Tlsa.DANE_EE, 1, 1, new byte[32]);

  private static HostTlsPolicy policy(TlsLevel level, PolicySource source, boolean reportOnly, List<Tlsa> tlsa) {
    return new HostTlsPolicy(level, source, "example.test", reportOnly, tlsa);
  }

  @Test
  void onlyPoliciesThatCheckTheHostsIdentityAuthenticate() {
    record Row(HostTlsPolicy policy, boolean authenticates) {
    }
    List<Row> rows = List.of(
        new Row(HostTlsPolicy.OPPORTUNISTIC, false),
        new Row(policy(TlsLevel.ENCRYPT, PolicySource.CONFIG, false, List.of()), false),
        new Row(policy(TlsLevel.VERIFY, PolicySource.CONFIG, false, List.of()), true),
        new Row(policy(TlsLevel.DANE_ONLY, PolicySource.CONFIG, false, List.of()), true),
        new Row(policy(TlsLevel.VERIFY, PolicySource.MTA_STS, false, List.of()), true),
        new Row(policy(TlsLevel.VERIFY, PolicySource.MTA_STS, true, List.of()), true), // testing: enforced
        new Row(policy(TlsLevel.DANE, PolicySource.DANE, false, List.of(EE)), true),
        new Row(policy(TlsLevel.ENCRYPT, PolicySource.DANE, false, List.of()), false)); // secure, none usable
    for (Row row : rows) {
      assertEquals(row.authenticates(), RequireTlsRule.authenticates(row.policy()), row.toString());
    }
  }

  @Test
  void keepsTheAuthenticatedHostsEnforcedAndFailsPermanentlyWithoutOne() {
    TlsPlan mixed = new TlsPlan.Hosts(Map.of(
        "mx1.example.test", policy(TlsLevel.VERIFY, PolicySource.MTA_STS, true, List.of()),
        "mx2.example.test", HostTlsPolicy.OPPORTUNISTIC), Map.of());
    TlsPlan.Hosts kept = assertInstanceOf(TlsPlan.Hosts.class, RequireTlsRule.apply("example.test", mixed));
    assertEquals(List.of("mx1.example.test"), List.copyOf(kept.usable().keySet()));
    assertFalse(kept.policyOf("mx1.example.test").reportOnly(), "MTA-STS testing is enforced for REQUIRETLS");
    assertTrue(kept.skipped().containsKey("mx2.example.test"));

    TlsPlan none = new TlsPlan.Hosts(Map.of("mx.example.test", HostTlsPolicy.OPPORTUNISTIC), Map.of());
    TlsPlan.Blocked blocked = assertInstanceOf(TlsPlan.Blocked.class, RequireTlsRule.apply("example.test", none));
    assertEquals("5.7.30", blocked.status());
    assertTrue(blocked.reason().contains("example.test"), blocked.reason());

    TlsPlan lookupFailed = new TlsPlan.Blocked("4.4.3", "MTA-STS: the policy lookup failed");
    assertEquals(lookupFailed, RequireTlsRule.apply("example.test", lookupFailed), "a temporary block stays one");
  }

  @Test
  void tlsRequiredNoIgnoresThePublishedPoliciesButNotTheConfiguredOnes() {
    StsPolicy elsewhere = new StsPolicy(StsPolicy.Mode.ENFORCE, List.of("mx.elsewhere.test"), 86400, "1",
        Instant.now());
    TlsPolicyPlanner planner = new TlsPolicyPlanner(TlsLevel.MAY,
        new TlsPolicyMap(Map.of("bank.test", TlsLevel.ENCRYPT, "dane.test", TlsLevel.DANE_ONLY)),
        domain -> Future.succeededFuture(Optional.of(elsewhere)), DaneSource.NONE);
    List<String> hosts = List.of("mx.example.test");
    assertInstanceOf(TlsPlan.Blocked.class, planner.plan("example.test", hosts, 25).result(),
        "the published MTA-STS policy names no MX of example.test");
    TlsPlan.Hosts ignored = assertInstanceOf(TlsPlan.Hosts.class,
        planner.planIgnoringPublished("example.test", hosts));
    assertEquals(TlsLevel.MAY, ignored.policyOf("mx.example.test").level());
    assertEquals(TlsLevel.ENCRYPT, ((TlsPlan.Hosts) planner.planIgnoringPublished("bank.test", hosts))
        .policyOf("mx.example.test").level(), "the operator's own level holds");
    assertEquals(TlsLevel.MAY, ((TlsPlan.Hosts) planner.planIgnoringPublished("dane.test", hosts))
        .policyOf("mx.example.test").level(), "dane-only asks for the published TLSA records: ignored");
  }
}
