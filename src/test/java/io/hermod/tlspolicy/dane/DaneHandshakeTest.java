package io.hermod.tlspolicy.dane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hermod.config.DaneConfig;
import io.hermod.config.DnsConfig;
import io.hermod.metrics.HermodMetrics;
import io.hermod.routing.DnsClient;
import io.hermod.testing.SignedZone;
import io.hermod.testing.TestDnsServer;
import io.hermod.tls.TestCertificates;
import io.hermod.tls.TestCertificates.Issued;
import io.hermod.tlspolicy.DaneAnswer;
import io.hermod.tlspolicy.DaneSource;
import io.hermod.tlspolicy.HostTlsPolicy;
import io.hermod.tlspolicy.PolicySource;
import io.hermod.tlspolicy.TlsLevel;
import io.hermod.tlspolicy.TlsResultType;
import io.hermod.tlspolicy.Tlsa;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
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
 * DANE from DNS to handshake: TLSA records for TLS servers on 127.0.0.1 published in a zone signed in the test,
 * looked up and validated ({@link DaneSources}), then checked ({@link DanePeerCheck}) against the chain each
 * server presents in a real TLS handshake.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DaneHandshakeTest {

  private static final Issued CA = TestCertificates.ca("Handshake Root");
  private static final Issued SERVER = TestCertificates.leaf(CA, "mx.dane.test");
  private static final Issued IMPOSTOR = TestCertificates.selfSigned("mx.dane.test");

  @TempDir
  Path dir;
  private Vertx vertx;
  private TestDnsServer dns;
  private SignedZone zone;
  private ExecutorService executor;
  // the chains real TLS servers presented, captured once for the class (a handshake costs seconds on a busy host)
  private static X509Certificate[] published;
  private static X509Certificate[] withoutAnchor;
  private static X509Certificate[] impostor;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    executor = Executors.newFixedThreadPool(2);
    zone = new SignedZone("dane.test").a("mx.dane.test", "127.0.0.1")
        .tlsa("_25._tcp.mx.dane.test", 3, 1, 1, DanePeerCheckTest.tlsa(3, 1, 1, SERVER).data())
        .tlsa("_26._tcp.mx.dane.test", 2, 0, 1, DanePeerCheckTest.tlsa(2, 0, 1, CA).data())
        .tlsa("_27._tcp.mx.dane.test", 0, 0, 1, DanePeerCheckTest.tlsa(0, 0, 1, CA).data());
    dns = await(TestDnsServer.start(vertx));
    dns.answerWith(zone::answer);
    if (published == null) {
      published = presented(SERVER, CA);
      withoutAnchor = presented(SERVER);
      impostor = presented(IMPOSTOR);
    }
  }

  @AfterEach
  void stop() throws Exception {
    await(dns.close());
    executor.shutdownNow();
  }

  @Test
  void theServerWhoseKeyIsPublishedPassesAndAnImpostorFails() throws Exception {
    DaneAnswer answer = await(dane().tlsa("mx.dane.test", 25));
    assertEquals(DaneAnswer.Security.SECURE, answer.security());
    assertEquals(null, check(answer, published));
    assertEquals(TlsResultType.TLSA_INVALID, check(answer, impostor));
  }

  @Test
  void aTrustAnchorRecordAcceptsTheChainItSigned() throws Exception {
    DaneAnswer answer = await(dane().tlsa("mx.dane.test", 26));
    assertEquals(List.of(2), answer.usable().stream().map(Tlsa::usage).toList());
    assertEquals(null, check(answer, published));
    assertEquals(TlsResultType.TLSA_INVALID, check(answer, withoutAnchor), "the anchor was not sent");
    assertEquals(TlsResultType.TLSA_INVALID, check(answer, impostor));
  }

  @Test
  void pkixRecordsOnlyMeanEncryptWithoutAuthentication() throws Exception {
    DaneAnswer answer = await(dane().tlsa("mx.dane.test", 27));
    assertEquals(new DaneAnswer(DaneAnswer.Security.SECURE, List.of()), answer);
    HostTlsPolicy encrypt = new HostTlsPolicy(TlsLevel.ENCRYPT, PolicySource.DANE, "dane.test", false, List.of());
    assertEquals(null, new DanePeerCheck(Clock.systemUTC()).check(encrypt, "mx.dane.test",
        impostor));
  }

  private DaneSource dane() throws Exception {
    Path anchors = Files.writeString(dir.resolve("anchors.zone"), zone.trustAnchor());
    DnsClient client = new DnsClient(vertx, new DnsConfig(List.of(dns.address()), 10_000, 0), executor);
    return DaneSources.create(vertx, new DaneConfig(true, anchors.toString(), false, 100), client,
        HermodMetrics.noop());
  }

  private static TlsResultType check(DaneAnswer answer, X509Certificate[] chain) {
    HostTlsPolicy policy = new HostTlsPolicy(TlsLevel.DANE, PolicySource.DANE, "dane.test", false, answer.usable());
    return new DanePeerCheck(Clock.systemUTC()).check(policy, "mx.dane.test", chain);
  }

  /**
   * The chain an implicit-TLS server on 127.0.0.1 presents in a handshake when configured with {@code chain} (leaf
   * first); the client accepts any certificate, as a DANE client does before its own check.
   */
  private X509Certificate[] presented(Issued... chain) throws Exception {
    StringBuilder pem = new StringBuilder();
    for (Issued c : chain) {
      pem.append(c.certificatePem());
    }
    NetServer server = vertx.createNetServer(new NetServerOptions().setSsl(true).setKeyCertOptions(
        new PemKeyCertOptions().setCertValue(Buffer.buffer(pem.toString()))
            .setKeyValue(Buffer.buffer(chain[0].keyPem()))));
    server.connectHandler(socket -> socket.write("220 mx.dane.test ESMTP\r\n"));
    int port = await(server.listen(0, "127.0.0.1")).actualPort();
    NetClient client = vertx.createNetClient();
    try {
      var socket = await(client.connect(new ConnectOptions().setHost("127.0.0.1").setPort(port).setSsl(true)
          .setSslOptions(new ClientSSLOptions().setTrustAll(true).setHostnameVerificationAlgorithm(""))));
      X509Certificate[] seen = socket.peerCertificates().stream().map(c -> (X509Certificate) c)
          .toArray(X509Certificate[]::new);
      await(socket.close());
      return seen;
    } finally {
      await(client.close());
      await(server.close());
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
