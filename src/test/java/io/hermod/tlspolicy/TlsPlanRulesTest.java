package io.hermod.tlspolicy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The planner's precedence table (docs/security.md "Which policy applies"), without sockets or DNS: configured
 * levels, MTA-STS enforce/testing/none, DANE secure/insecure/bogus, and their combinations.
 */
class TlsPlanRulesTest {

  private static final String D = "example.com";
  private static final List<String> MX = List.of("mx1.example.com", "mx2.other.net");
  private static final Tlsa RECORD = new Tlsa(3, 1, 1, new byte[] {1, 2, 3});

  private static Optional<StsPolicy> sts(StsPolicy.Mode mode, String... mx) {
    return Optional.of(new StsPolicy(mode, List.of(mx), 86400, "id1", Instant.EPOCH));
  }

  private static Map<String, DaneAnswer> dane(DaneAnswer first, DaneAnswer second) {
    Map<String, DaneAnswer> m = new HashMap<>();
    if (first != null) {
      m.put("mx1.example.com", first);
    }
    if (second != null) {
      m.put("mx2.other.net", second);
    }
    return m;
  }

  private static final DaneAnswer INSECURE = DaneAnswer.INSECURE;
  private static final DaneAnswer SECURE = new DaneAnswer(DaneAnswer.Security.SECURE, List.of(RECORD));
  private static final DaneAnswer SECURE_UNUSABLE = new DaneAnswer(DaneAnswer.Security.SECURE, List.of());
  private static final DaneAnswer BOGUS = new DaneAnswer(DaneAnswer.Security.BOGUS, List.of());

  /** "level/source[/report-only]" per host, "-" for a skipped host; or "blocked status". */
  static Stream<Arguments> table() {
    Optional<StsPolicy> none = Optional.empty();
    return Stream.of(
        row("nothing: opportunistic", null, TlsLevel.MAY, none, dane(INSECURE, INSECURE),
            "may/none may/none"),
        row("default level encrypt", null, TlsLevel.ENCRYPT, none, dane(INSECURE, INSECURE),
            "encrypt/config encrypt/config"),
        row("per-domain entry beats the default", TlsLevel.VERIFY, TlsLevel.MAY, none, dane(INSECURE, INSECURE),
            "verify/config verify/config"),
        row("per-domain entry beats MTA-STS and DANE", TlsLevel.MAY, TlsLevel.MAY,
            sts(StsPolicy.Mode.ENFORCE, "mx1.example.com"), dane(BOGUS, SECURE), "may/config may/config"),
        row("STS enforce: only matching hosts, at verify", null, TlsLevel.MAY,
            sts(StsPolicy.Mode.ENFORCE, "*.example.com"), dane(INSECURE, INSECURE), "verify/mta-sts -"),
        row("STS enforce raises a default of none", null, TlsLevel.NONE,
            sts(StsPolicy.Mode.ENFORCE, "mx1.example.com", "mx2.other.net"), dane(INSECURE, INSECURE),
            "verify/mta-sts verify/mta-sts"),
        row("STS enforce, no host matches: blocked", null, TlsLevel.MAY,
            sts(StsPolicy.Mode.ENFORCE, "mail.example.com"), dane(INSECURE, INSECURE), "blocked 4.7.5"),
        row("STS testing: verify, report-only", null, TlsLevel.MAY,
            sts(StsPolicy.Mode.TESTING, "mail.example.com"), dane(INSECURE, INSECURE),
            "verify/mta-sts/report-only verify/mta-sts/report-only"),
        row("STS testing does not weaken encrypt", null, TlsLevel.ENCRYPT,
            sts(StsPolicy.Mode.TESTING, "mail.example.com"), dane(INSECURE, INSECURE),
            "encrypt/config encrypt/config"),
        row("STS none: the default", null, TlsLevel.MAY, sts(StsPolicy.Mode.NONE), dane(INSECURE, INSECURE),
            "may/none may/none"),
        row("DANE secure: dane with the records", null, TlsLevel.MAY, none, dane(SECURE, INSECURE),
            "dane/dane may/none"),
        row("DANE secure, none usable: encrypt", null, TlsLevel.MAY, none, dane(SECURE_UNUSABLE, INSECURE),
            "encrypt/dane may/none"),
        row("DANE bogus: that host is skipped", null, TlsLevel.MAY, none, dane(BOGUS, INSECURE),
            "- may/none"),
        row("DANE bogus everywhere: blocked", null, TlsLevel.MAY, none, dane(BOGUS, BOGUS), "blocked 4.7.5"),
        row("DANE beats STS enforce, even for a host outside the policy mx", null, TlsLevel.MAY,
            sts(StsPolicy.Mode.ENFORCE, "mx1.example.com"), dane(INSECURE, SECURE), "verify/mta-sts dane/dane"),
        row("DANE lookup failed: that host is skipped", null, TlsLevel.MAY, none, dane(null, INSECURE),
            "- may/none"),
        row("DANE lookup failed everywhere: blocked as a lookup failure", null, TlsLevel.MAY, none,
            dane(null, null), "blocked 4.4.3"),
        row("dane level without TLSA: opportunistic", null, TlsLevel.DANE, none, dane(INSECURE, SECURE),
            "may/config dane/dane"),
        row("dane-only without TLSA: skipped", null, TlsLevel.DANE_ONLY, none, dane(INSECURE, SECURE),
            "- dane/dane"),
        row("dane-only per domain, no TLSA anywhere: blocked", TlsLevel.DANE_ONLY, TlsLevel.MAY, none,
            dane(INSECURE, INSECURE), "blocked 4.7.5"));
  }

  private static Arguments row(String name, TlsLevel configured, TlsLevel defaultLevel, Optional<StsPolicy> sts,
                               Map<String, DaneAnswer> dane, String expected) {
    return Arguments.of(name, configured, defaultLevel, sts, dane, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(String name, TlsLevel configured, TlsLevel defaultLevel, Optional<StsPolicy> sts,
               Map<String, DaneAnswer> dane, String expected) {
    assertEquals(expected, describe(TlsPlanRules.decide(D, MX, configured, defaultLevel, sts, dane)));
  }

  private static String describe(TlsPlan plan) {
    if (plan instanceof TlsPlan.Blocked b) {
      return "blocked " + b.status();
    }
    TlsPlan.Hosts hosts = (TlsPlan.Hosts) plan;
    StringBuilder out = new StringBuilder();
    for (String h : MX) {
      HostTlsPolicy p = hosts.policyOf(h);
      out.append(out.length() == 0 ? "" : " ").append(p == null ? "-"
          : p.level().keyword() + "/" + p.source().label() + (p.reportOnly() ? "/report-only" : ""));
    }
    return out.toString();
  }

  @Test
  void daneCarriesTheRecordsAndThePolicyDomain() {
    TlsPlan.Hosts plan = (TlsPlan.Hosts) TlsPlanRules.decide(D, MX, null, TlsLevel.MAY, Optional.empty(),
        dane(SECURE, INSECURE));
    HostTlsPolicy p = plan.policyOf("MX1.example.com.");
    assertEquals(List.of(RECORD), p.tlsa());
    assertEquals(D, p.policyDomain());
  }

  @Test
  void stsEnforceWithoutMatchSaysWhy() {
    TlsPlan plan = TlsPlanRules.decide(D, MX, null, TlsLevel.MAY, sts(StsPolicy.Mode.ENFORCE, "mail.example.com"),
        dane(INSECURE, INSECURE));
    TlsPlan.Blocked blocked = assertInstanceOf(TlsPlan.Blocked.class, plan);
    assertEquals("MTA-STS enforce: no MX host matches the policy (mx: mail.example.com; MX hosts: "
        + "mx1.example.com, mx2.other.net)", blocked.reason());
  }

  @Test
  void skippedHostsSayWhy() {
    TlsPlan.Hosts plan = (TlsPlan.Hosts) TlsPlanRules.decide(D, MX, null, TlsLevel.MAY, Optional.empty(),
        dane(BOGUS, INSECURE));
    assertTrue(plan.skipped().get("mx1.example.com").contains("DNSSEC validation"), plan.skipped().toString());
  }

  @Test
  void policyJsonRoundTrips() {
    HostTlsPolicy p = new HostTlsPolicy(TlsLevel.DANE, PolicySource.DANE, D, false, List.of(RECORD));
    assertEquals(p, HostTlsPolicy.fromJson(p.toJson()));
    HostTlsPolicy testing = new HostTlsPolicy(TlsLevel.VERIFY, PolicySource.MTA_STS, D, true, List.of());
    assertEquals(testing, HostTlsPolicy.fromJson(testing.toJson()));
    assertEquals(HostTlsPolicy.OPPORTUNISTIC, HostTlsPolicy.fromJson(null));
  }
}
