package io.hermod.routing;

import static io.hermod.routing.RouterFixture.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.delivery.DeliveryJob;
import io.hermod.spool.Recipient;
import io.hermod.tlspolicy.DaneAnswer;
import io.hermod.tlspolicy.DaneSource;
import io.hermod.tlspolicy.HostTlsPolicy;
import io.hermod.tlspolicy.MtaStsSource;
import io.hermod.tlspolicy.PolicySource;
import io.hermod.tlspolicy.StsPolicy;
import io.hermod.tlspolicy.TlsLevel;
import io.hermod.tlspolicy.TlsPolicyPlanner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router puts each MX host's TLS policy into the delivery job (real spool, real DNS server on loopback, the
 * delivery verticles faked at the bus): per-domain levels beat the default, and a policy that rules out every MX
 * host defers the recipients at once with its reason (what the queue views show), without a job.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RouterTlsPolicyTest {

  @TempDir
  Path dir;
  private RouterFixture f;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    f = new RouterFixture(vertx, dir);
    f.dns.mx("strict.test", 10, "mx.strict.test").a("mx.strict.test", "192.0.2.1")
        .mx("a.lax.test", 10, "mx.lax.test").a("mx.lax.test", "192.0.2.2")
        .mx("other.test", 10, "mx.other.test").a("mx.other.test", "192.0.2.3")
        .mx("sts.test", 10, "mx.sts.test").a("mx.sts.test", "192.0.2.4")
        .mx("dane.test", 10, "mx1.dane.test").mx("dane.test", 20, "mx2.dane.test")
        .a("mx1.dane.test", "192.0.2.5").a("mx2.dane.test", "192.0.2.6");
  }

  @AfterEach
  void tearDown() throws Exception {
    f.close();
  }

  private DeliveryJob jobTo(String destination) {
    return f.delivery.jobs.stream().map(FakeDelivery.Received::job).filter(j -> j.destination().equals(destination))
        .findFirst().orElseThrow();
  }

  @Test
  void perDomainPoliciesBeatTheDefault() throws Exception {
    f.configure(new JsonObject().put("outboundTls", new JsonObject().put("level", "encrypt")
        .put("policies", new JsonObject().put("strict.test", "verify").put(".lax.test", "none")))).start();

    f.submit(f.envelope("s@local.test", "a@strict.test", "b@a.lax.test", "c@other.test"));
    until("three jobs", () -> f.delivery.jobs.size() == 3);

    assertEquals(new HostTlsPolicy(TlsLevel.VERIFY, PolicySource.CONFIG, "strict.test", false, List.of()),
        jobTo("strict.test").hosts().get(0).tls());
    assertEquals(TlsLevel.NONE, jobTo("a.lax.test").hosts().get(0).tls().level());
    assertEquals(new HostTlsPolicy(TlsLevel.ENCRYPT, PolicySource.CONFIG, "other.test", false, List.of()),
        jobTo("other.test").hosts().get(0).tls());
  }

  @Test
  void stsEnforceWithoutAMatchingMxDefersWithThePolicysReason() throws Exception {
    MtaStsSource sts = domain -> Future.succeededFuture(domain.equals("sts.test")
        ? Optional.of(new StsPolicy(StsPolicy.Mode.ENFORCE, List.of("mail.sts.test"), 86400, "1", Instant.now()))
        : Optional.empty());
    f.configure(new JsonObject());
    f.tlsPlanner = new TlsPolicyPlanner(TlsLevel.MAY, io.hermod.tlspolicy.TlsPolicyMap.EMPTY, sts, DaneSource.NONE);
    f.start();

    String id = f.submit(f.envelope("s@local.test", "bob@sts.test", "carol@other.test"));
    until("deferral event", () -> f.eventsFor(id).stream().anyMatch(e -> "deferred".equals(e.getString("outcome"))));

    assertEquals(List.of("other.test"), f.delivery.jobs.stream().map(r -> r.job().destination()).toList(),
        "no job for the blocked domain");
    JsonObject event = f.eventsFor(id).stream().filter(e -> "bob@sts.test".equals(e.getString("recipient")))
        .findFirst().orElseThrow();
    assertEquals("4.7.5", event.getString("status"));
    assertTrue(event.getString("text").startsWith("MTA-STS enforce: no MX host matches the policy"),
        event.getString("text"));
    assertNull(event.getValue("tlsPolicy"), "no SMTP attempt was made");
    until("recorded", () -> f.load(id).recipients().stream()
        .anyMatch(r -> r.address().equals("bob@sts.test") && r.lastReply() != null));
    Recipient bob = f.load(id).recipients().stream().filter(r -> r.address().equals("bob@sts.test")).findFirst()
        .orElseThrow();
    assertEquals("451 4.7.5 MTA-STS enforce: no MX host matches the policy (mx: mail.sts.test; MX hosts: "
        + "mx.sts.test)", bob.lastReply());
  }

  @Test
  void daneSecureAndBogusHostsAndStsForTheRest() throws Exception {
    DaneSource dane = (host, port) -> Future.succeededFuture(host.equals("mx1.dane.test")
        ? new DaneAnswer(DaneAnswer.Security.BOGUS, List.of())
        : new DaneAnswer(DaneAnswer.Security.SECURE, List.of(new io.hermod.tlspolicy.Tlsa(3, 1, 1, new byte[32]))));
    f.configure(new JsonObject());
    f.tlsPlanner = new TlsPolicyPlanner(TlsLevel.MAY, io.hermod.tlspolicy.TlsPolicyMap.EMPTY, MtaStsSource.NONE,
        dane);
    f.start();

    f.submit(f.envelope("s@local.test", "x@dane.test"));
    until("job", () -> f.delivery.jobs.size() == 1);

    List<DeliveryJob.Host> hosts = jobTo("dane.test").hosts();
    assertEquals(List.of("mx2.dane.test"), hosts.stream().map(DeliveryJob.Host::name).toList(),
        "the host with a bogus answer is not used");
    assertEquals(TlsLevel.DANE, hosts.get(0).tls().level());
    assertEquals(1, hosts.get(0).tls().tlsa().size());
    assertEquals(2525, hosts.get(0).port());
  }
}
