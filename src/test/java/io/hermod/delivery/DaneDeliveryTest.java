package io.hermod.delivery;

import static io.hermod.delivery.DeliveryFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.config.DaneConfig;
import io.hermod.config.DnsConfig;
import io.hermod.delivery.DeliveryFixture.Content;
import io.hermod.metrics.HermodMetrics;
import io.hermod.routing.DnsClient;
import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.SignedZone;
import io.hermod.testing.TestDnsServer;
import io.hermod.tls.TestCertificates;
import io.hermod.tls.TestCertificates.Issued;
import io.hermod.tlspolicy.DaneAnswer;
import io.hermod.tlspolicy.HostTlsPolicy;
import io.hermod.tlspolicy.PkixCheck;
import io.hermod.tlspolicy.PolicyPeerCheck;
import io.hermod.tlspolicy.PolicySource;
import io.hermod.tlspolicy.TlsLevel;
import io.hermod.tlspolicy.TlsOutcome;
import io.hermod.tlspolicy.TlsResultType;
import io.hermod.tlspolicy.Tlsa;
import io.hermod.tlspolicy.dane.DanePeerCheck;
import io.hermod.tlspolicy.dane.DaneSources;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * DANE end to end on loopback: the MX host's TLSA record (DANE-EE, SPKI, SHA-256) in a zone signed in the test,
 * looked up and validated from the zone's DS ({@link DaneSources}); the delivery client under that policy against
 * real STARTTLS peers: the one whose key is published gets the mail, an impostor (a certificate for the same name)
 * gets nothing, the recipient defers 4.7.5 with tlsa-invalid, and TLS-RPT hears of both.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DaneDeliveryTest {

  private static final String MX = "mx.dane.test";
  private static final Issued SERVER = TestCertificates.selfSigned(MX);
  private static final Issued IMPOSTOR = TestCertificates.selfSigned(MX);
  private static final Issued CA = TestCertificates.ca("Unused PKIX Root"); // DANE-EE needs no CA

  private final List<TlsOutcome> reported = new CopyOnWriteArrayList<>();
  private final List<ScriptedSmtpPeer> peers = new ArrayList<>();
  private Vertx vertx;
  private DeliveryFixture fixture;
  private Content content;
  private TestDnsServer dns;
  private ExecutorService executor;
  private HostTlsPolicy policy;

  @BeforeEach
  void setUp(Vertx vertx, @TempDir Path dir) throws Exception {
    this.vertx = vertx;
    executor = Executors.newFixedThreadPool(2);
    byte[] spki = MessageDigest.getInstance("SHA-256").digest(SERVER.certificate().getPublicKey().getEncoded());
    SignedZone zone = new SignedZone("dane.test").a(MX, "127.0.0.1").tlsa("_25._tcp." + MX, 3, 1, 1, spki);
    dns = await(TestDnsServer.start(vertx));
    dns.answerWith(zone::answer);
    Path anchors = Files.writeString(dir.resolve("anchors.zone"), zone.trustAnchor());
    DaneAnswer answer = await(DaneSources.create(vertx, new DaneConfig(true, anchors.toString(), false, 10),
        new DnsClient(vertx, new DnsConfig(List.of(dns.address()), 10_000, 0), executor), HermodMetrics.noop())
        .tlsa(MX, 25));
    assertEquals(List.of(new Tlsa(3, 1, 1, spki)), answer.usable());
    // what the planner makes of a secure, usable answer (TlsPlanRules): level dane with the records
    policy = new HostTlsPolicy(TlsLevel.DANE, PolicySource.DANE, "dane.test", false, answer.usable());

    fixture = new DeliveryFixture(vertx, dir);
    content = fixture.content(Buffer.buffer("Subject: dane\r\n\r\nhello\r\n"));
    OutboundTls tls = new OutboundTls(List.of("TLSv1.2", "TLSv1.3"), List.of(),
        new PolicyPeerCheck(new PkixCheck(PkixCheck.pemAnchors(Files.writeString(dir.resolve("ca.pem"),
            CA.certificatePem())), Clock.systemUTC()), new DanePeerCheck(Clock.systemUTC())),
        reported::add);
    DeliverySettings settings = DeliveryFixture.options(30_000); // generous: first handshakes on a busy host
    fixture.deploy(settings.withClient(settings.client().withTlsPolicy(io.hermod.tlspolicy.TlsLevel.MAY).withTls(tls)));
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
    for (ScriptedSmtpPeer p : peers) {
      await(p.close());
    }
    await(dns.close());
    executor.shutdownNow();
  }

  @Test
  void theServerWhoseKeyIsPublishedGetsTheMail() throws Exception {
    ScriptedSmtpPeer peer = peer(SERVER);

    DeliveryReport report = fixture.deliver(job("D1", peer));

    assertEquals(DeliveryReport.Outcome.DELIVERED, only(report).outcome());
    assertEquals(1, peer.messages().size());
    assertTrue(peer.sessions().get(0).tls());
    assertEquals("dane", report.tls().source());
    assertEquals(1, reported.size());
    assertTrue(reported.get(0).succeeded(), reported.toString());
  }

  @Test
  void anImpostorWithACertificateForTheSameNameGetsNothing() throws Exception {
    ScriptedSmtpPeer peer = peer(IMPOSTOR);

    DeliveryReport.Result r = only(fixture.deliver(job("D2", peer)));

    assertEquals(DeliveryReport.Outcome.DEFERRED, r.outcome());
    assertEquals("4.7.5", r.status());
    assertTrue(r.text().contains("tlsa-invalid"), r.text());
    assertTrue(peer.messages().isEmpty());
    for (var s : peer.sessions()) {
      assertFalse(s.commands().stream().anyMatch(c -> c.startsWith("MAIL") || c.startsWith("RCPT")),
          s.commands().toString());
    }
    assertEquals(1, reported.size());
    assertEquals(TlsResultType.TLSA_INVALID, reported.get(0).failure());
  }

  private ScriptedSmtpPeer peer(Issued certificate) throws Exception {
    ScriptedSmtpPeer p = new ScriptedSmtpPeer(vertx).capabilities("PIPELINING");
    p.startTls(new PemKeyCertOptions().setCertValue(Buffer.buffer(certificate.certificatePem()))
        .setKeyValue(Buffer.buffer(certificate.keyPem())));
    peers.add(await(p.start()));
    return p;
  }

  private DeliveryJob job(String id, ScriptedSmtpPeer peer) {
    return DeliveryFixture.job(id, "dane.test", List.of(new DeliveryJob.Host(MX, "127.0.0.1", peer.port(), policy)),
        content, "a@dane.test");
  }

  private static DeliveryReport.Result only(DeliveryReport report) {
    assertEquals(1, report.results().size());
    return report.results().get(0);
  }
}
