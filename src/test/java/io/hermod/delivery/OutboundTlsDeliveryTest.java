package io.hermod.delivery;

import static io.hermod.delivery.DeliveryFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.delivery.DeliveryFixture.Content;
import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.tls.TestCa;
import io.hermod.tlspolicy.HostTlsPolicy;
import io.hermod.tlspolicy.PeerCheck;
import io.hermod.tlspolicy.PkixCheck;
import io.hermod.tlspolicy.PolicyPeerCheck;
import io.hermod.tlspolicy.PolicySource;
import io.hermod.tlspolicy.TlsLevel;
import io.hermod.tlspolicy.TlsOutcome;
import io.hermod.tlspolicy.TlsResultType;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery client enforcing each host's TLS policy against real STARTTLS peers on loopback whose
 * certificates a CA made in the test issued; that CA is the client's only trust anchor (outboundTls.caFile).
 * A policy that cannot be met defers with 4.7.x and sends no mail command in plaintext; every attempt under a
 * published policy reaches the TLS-RPT sink with its failure type.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class OutboundTlsDeliveryTest {

  private static final String MX = "mx.good.test";
  private static TestCa ca;
  private static TestCa.Issued good;
  private static TestCa.Issued wrongName;
  private static TestCa.Issued expired;
  private static TestCa.Issued untrusted;

  private final List<TlsOutcome> reported = new CopyOnWriteArrayList<>();
  private final List<String> counted = new CopyOnWriteArrayList<>();
  private final List<ScriptedSmtpPeer> peers = new ArrayList<>();
  private Vertx vertx;
  private DeliveryFixture fixture;
  private Content content;

  @BeforeAll
  static void certificates() {
    ca = TestCa.create("Hermod Test CA");
    good = ca.issue(MX);
    wrongName = ca.issue("mx.other.test");
    Instant now = Instant.now();
    expired = ca.issue(now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1)), MX);
    untrusted = TestCa.create("Someone Else's CA").issue(MX);
  }

  @AfterAll
  static void forget() {
    ca = null;
  }

  @BeforeEach
  void setUp(Vertx vertx, @TempDir Path dir) throws Exception {
    this.vertx = vertx;
    fixture = new DeliveryFixture(vertx, dir);
    content = fixture.content(Buffer.buffer("Subject: tls\r\n\r\nhello\r\n"));
    Path caFile = ca.write(dir.resolve("ca.pem"));
    PkixCheck pkix = new PkixCheck(PkixCheck.pemAnchors(caFile), Clock.systemUTC());
    OutboundTls tls = new OutboundTls(List.of("TLSv1.2", "TLSv1.3"), List.of(),
        new PolicyPeerCheck(pkix, PeerCheck.ANY), reported::add)
        .withCounter((source, result) -> counted.add(source.label() + ":" + result));
    // Generous stage timeouts: the first handshakes of a JVM on a busy machine are slow, and no test here waits
    // for a timeout.
    DeliverySettings settings = DeliveryFixture.options(30_000);
    // The jobs' hosts bring their policies; the client default is opportunistic as in production.
    fixture.deploy(settings.withClient(settings.client().withTlsPolicy(io.hermod.tlspolicy.TlsLevel.MAY).withTls(tls)));
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
    for (ScriptedSmtpPeer p : peers) {
      await(p.close());
    }
  }

  private ScriptedSmtpPeer peer(TestCa.Issued certificate) throws Exception {
    ScriptedSmtpPeer p = new ScriptedSmtpPeer(vertx).capabilities("PIPELINING");
    if (certificate != null) {
      p.startTls(certificate.keyCertOptions());
    }
    peers.add(await(p.start()));
    return p;
  }

  private static HostTlsPolicy policy(TlsLevel level, PolicySource source) {
    return new HostTlsPolicy(level, source, "good.test", false, List.of());
  }

  private DeliveryJob job(String id, ScriptedSmtpPeer peer, HostTlsPolicy policy) {
    return DeliveryFixture.job(id, "good.test", List.of(new DeliveryJob.Host(MX, "127.0.0.1", peer.port(), policy)),
        content, "a@good.test");
  }

  private static void assertNothingSentInPlaintext(ScriptedSmtpPeer peer) {
    assertTrue(peer.messages().isEmpty(), "nothing delivered");
    for (var s : peer.sessions()) {
      assertFalse(s.commands().stream().anyMatch(c -> c.startsWith("MAIL") || c.startsWith("RCPT")),
          s.commands().toString());
    }
  }

  /** Delivers {@code id} under {@code p}: deferred with {@code status}, nothing sent in plaintext. */
  private DeliveryReport.Result deferred(String id, ScriptedSmtpPeer peer, HostTlsPolicy p, String status)
      throws Exception {
    DeliveryReport.Result r = only(fixture.deliver(job(id, peer, p)));
    assertEquals(DeliveryReport.Outcome.DEFERRED, r.outcome());
    assertEquals(status, r.status(), r.text());
    assertNothingSentInPlaintext(peer);
    return r;
  }

  private static DeliveryReport.Result only(DeliveryReport report) {
    assertEquals(1, report.results().size());
    return report.results().get(0);
  }

  @Test
  void aJobFromAnOlderRouterIsOpportunisticAndThePolicyTravelsInJson() {
    io.vertx.core.json.JsonObject old = new io.vertx.core.json.JsonObject().put("name", MX).put("address", "127.0.0.1")
        .put("port", 25);
    assertEquals(HostTlsPolicy.OPPORTUNISTIC, DeliveryJob.Host.fromJson(old).tls());
    assertFalse(new DeliveryJob.Host(MX, "127.0.0.1", 25).toJson().containsKey("tls"));
    DeliveryJob.Host strict = new DeliveryJob.Host(MX, "127.0.0.1", 25, policy(TlsLevel.VERIFY, PolicySource.MTA_STS));
    assertEquals(strict, DeliveryJob.Host.fromJson(strict.toJson()));
  }

  @Test
  void verifyDeliversOverTlsWhenTheCertificateNamesTheMxHost() throws Exception {
    ScriptedSmtpPeer peer = peer(good);

    DeliveryReport report = fixture.deliver(job("V1", peer, policy(TlsLevel.VERIFY, PolicySource.MTA_STS)));

    assertEquals(DeliveryReport.Outcome.DELIVERED, only(report).outcome());
    assertEquals(1, peer.messages().size());
    assertTrue(peer.sessions().get(0).tls());
    assertTrue(report.tls().outcome().matches("TLSv1\\.[23] TLS_\\S+ verified"), report.tls().outcome());
    assertEquals("mta-sts", report.tls().source());
    assertEquals("verify", report.tls().level());
    assertEquals(1, reported.size());
    assertTrue(reported.get(0).succeeded());
    assertEquals(MX, reported.get(0).mxHost());
    assertEquals(List.of("mta-sts:verified"), counted);
    String line = fixture.logLines().stream().filter(l -> l.startsWith("V1:")).findFirst().orElseThrow();
    assertTrue(line.matches(".*, tlsPolicy=verify/mta-sts, tls=TLSv1\\.[23] TLS_\\S+ verified, dsn=2\\.0\\.0, .*"), line);
  }

  @Test
  void verifyDefersWhenTheCertificateNamesAnotherHost() throws Exception {
    ScriptedSmtpPeer peer = peer(wrongName);

    DeliveryReport.Result r = deferred("V2", peer, policy(TlsLevel.VERIFY, PolicySource.CONFIG), "4.7.5");

    assertTrue(r.text().contains("TLS policy verify (config, good.test) not met by mx.good.test: "
        + "certificate-host-mismatch"), r.text());
    assertTrue(r.text().contains("mx.other.test"), "names what the certificate names: " + r.text());
    assertTrue(reported.isEmpty(), "a configured policy is not a published one: no TLS-RPT");
    assertEquals(List.of("config:certificate-host-mismatch"), counted);
  }

  @Test
  void anExpiredCertificateIsReportedAsSuch() throws Exception {
    assertMtaStsVerifyFails(expired, TlsResultType.CERTIFICATE_EXPIRED);
  }

  @Test
  void aCertificateFromAnotherCaIsNotTrusted() throws Exception {
    assertMtaStsVerifyFails(untrusted, TlsResultType.CERTIFICATE_NOT_TRUSTED);
  }

  /** Deferred with 4.7.5 naming {@code type}, nothing in plaintext, one TLS-RPT failure of that type. */
  private void assertMtaStsVerifyFails(TestCa.Issued certificate, TlsResultType type) throws Exception {
    ScriptedSmtpPeer peer = peer(certificate);

    DeliveryReport.Result r = deferred("V3", peer, policy(TlsLevel.VERIFY, PolicySource.MTA_STS), "4.7.5");

    assertTrue(r.text().contains(type.label()), r.text());
    assertEquals(1, reported.size());
    assertEquals(type, reported.get(0).failure());
    assertEquals("good.test", reported.get(0).policy().policyDomain());
    assertEquals(List.of("mta-sts:" + type.label()), counted);
  }

  @Test
  void encryptDefersWhenStartTlsIsNotOfferedAndMayDeliversInPlaintext() throws Exception {
    ScriptedSmtpPeer peer = peer(null);

    DeliveryReport.Result r = deferred("E1", peer, policy(TlsLevel.ENCRYPT, PolicySource.CONFIG), "4.7.4");
    assertTrue(r.text().contains("TLS policy encrypt (config, good.test) not met: mx.good.test did not offer STARTTLS"),
        r.text());

    DeliveryReport may = fixture.deliver(job("E2", peer, HostTlsPolicy.OPPORTUNISTIC));
    assertEquals(DeliveryReport.Outcome.DELIVERED, only(may).outcome());
    assertEquals(1, peer.messages().size());
    assertEquals("none", may.tls().outcome());
    assertEquals(List.of("config:starttls-not-supported", "none:plaintext"), counted);
  }

  @Test
  void aFailedHandshakeIsNeverRetriedInPlaintextUnderEncryptButIsUnderMay() throws Exception {
    ScriptedSmtpPeer peer = new ScriptedSmtpPeer(vertx).capabilities("PIPELINING")
        .startTls(ScriptedSmtpPeer.TlsMode.BROKEN);
    peers.add(await(peer.start()));

    DeliveryReport.Result r = deferred("H1", peer, policy(TlsLevel.ENCRYPT, PolicySource.CONFIG), "4.7.5");
    assertTrue(r.text().contains("TLS policy encrypt (config, good.test) not met: TLS handshake with mx.good.test "
        + "failed"), r.text());
    assertEquals(1, peer.sessions().size(), "no second, plaintext connection");

    DeliveryReport may = fixture.deliver(job("H2", peer, HostTlsPolicy.OPPORTUNISTIC));
    assertEquals(DeliveryReport.Outcome.DELIVERED, only(may).outcome());
    assertEquals(3, peer.sessions().size(), "the failed handshake, then plaintext on a new connection");
    assertEquals(List.of("config:validation-failure", "none:validation-failure", "none:plaintext"), counted);
  }

  @Test
  void encryptAcceptsAnyCertificate() throws Exception {
    ScriptedSmtpPeer peer = peer(untrusted);

    DeliveryReport report = fixture.deliver(job("E3", peer, policy(TlsLevel.ENCRYPT, PolicySource.CONFIG)));

    assertEquals(DeliveryReport.Outcome.DELIVERED, only(report).outcome());
    assertTrue(report.tls().outcome().endsWith(" unverified"), report.tls().outcome());
  }

  @Test
  void stsTestingReportsTheFailureAndDeliversAnyway() throws Exception {
    ScriptedSmtpPeer peer = peer(wrongName);
    HostTlsPolicy testing = new HostTlsPolicy(TlsLevel.VERIFY, PolicySource.MTA_STS, "good.test", true, List.of());

    DeliveryReport report = fixture.deliver(job("T1", peer, testing));

    assertEquals(DeliveryReport.Outcome.DELIVERED, only(report).outcome());
    assertTrue(peer.sessions().get(0).tls(), "still over TLS");
    assertTrue(report.tls().outcome().endsWith(" failed certificate-host-mismatch"), report.tls().outcome());
    assertEquals("verify report-only", report.tls().level());
    assertEquals(TlsResultType.CERTIFICATE_HOST_MISMATCH, reported.get(0).failure());
  }

  @Test
  void stsTestingWithoutStartTlsReportsAndDeliversInPlaintext() throws Exception {
    ScriptedSmtpPeer peer = peer(null);
    HostTlsPolicy testing = new HostTlsPolicy(TlsLevel.VERIFY, PolicySource.MTA_STS, "good.test", true, List.of());

    DeliveryReport report = fixture.deliver(job("T2", peer, testing));

    assertEquals(DeliveryReport.Outcome.DELIVERED, only(report).outcome());
    assertEquals(TlsResultType.STARTTLS_NOT_SUPPORTED, reported.get(0).failure());
  }

  @Test
  void aPlaintextConnectionNeverServesAJobThatNeedsTls() throws Exception {
    ScriptedSmtpPeer peer = peer(good);

    fixture.deliver(job("P1", peer, policy(TlsLevel.NONE, PolicySource.CONFIG)));
    assertEquals(1, peer.sessions().size());
    assertFalse(peer.sessions().get(0).tls());

    DeliveryReport strict = fixture.deliver(job("P2", peer, policy(TlsLevel.VERIFY, PolicySource.CONFIG)));
    assertEquals(DeliveryReport.Outcome.DELIVERED, only(strict).outcome());
    assertEquals(2, peer.sessions().size(), "a new connection for the stricter policy");
    assertTrue(peer.sessions().get(1).tls());

    // The verified connection is idle now too; another verify job to the same host reuses it.
    fixture.deliver(job("P3", peer, policy(TlsLevel.VERIFY, PolicySource.CONFIG)));
    assertEquals(2, peer.sessions().size());
    assertEquals(2, peer.sessions().get(1).commands().stream().filter(c -> c.startsWith("MAIL")).count());
  }

  @Test
  void anUnverifiedConnectionNeverServesVerify() throws Exception {
    ScriptedSmtpPeer peer = peer(good);

    fixture.deliver(job("U1", peer, policy(TlsLevel.ENCRYPT, PolicySource.CONFIG)));
    fixture.deliver(job("U2", peer, policy(TlsLevel.VERIFY, PolicySource.CONFIG)));

    assertEquals(2, peer.sessions().size());
    assertTrue(peer.sessions().get(0).tls() && peer.sessions().get(1).tls());
    assertEquals(2, peer.messages().size());
  }
}
