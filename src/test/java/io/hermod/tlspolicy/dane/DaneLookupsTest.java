package io.hermod.tlspolicy.dane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.config.ConfigException;
import io.hermod.config.DaneConfig;
import io.hermod.config.DnsConfig;
import io.hermod.metrics.HermodMetrics;
import io.hermod.routing.DnsAnswer;
import io.hermod.routing.DnsClient;
import io.hermod.testing.SignedZone;
import io.hermod.testing.TestDnsServer;
import io.hermod.tlspolicy.DaneAnswer;
import io.hermod.tlspolicy.DaneAnswer.Security;
import io.hermod.tlspolicy.DaneSource;
import io.hermod.tlspolicy.Tlsa;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * DANE lookups (RFC 7672 §2.2) through dnsjava's ValidatingResolver against a zone signed in the test and served
 * on 127.0.0.1 ({@link SignedZone} in a {@link TestDnsServer}), its DS record as the trust anchor file; and the
 * same zone through a resolver whose AD bit is trusted.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DaneLookupsTest {

  private static final byte[] SHA256 = digest(32, 1);
  private static final byte[] SHA512 = digest(64, 2);
  private static final Tlsa EE = new Tlsa(3, 1, 1, SHA256);
  private static final Tlsa TA = new Tlsa(2, 0, 2, SHA512);

  @TempDir
  Path dir;
  private Vertx vertx;
  private TestDnsServer dns;
  private SignedZone zone;
  private SimpleMeterRegistry registry;
  private ExecutorService executor;
  private DnsClient client;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    registry = new SimpleMeterRegistry();
    executor = Executors.newFixedThreadPool(2);
    zone = new SignedZone("dane.test")
        .a("mx-ee.dane.test", "127.0.0.1").aaaa("mx-ee.dane.test", "::1").tlsa("_25._tcp.mx-ee.dane.test", 3, 1, 1, SHA256)
        .a("mx-ta.dane.test", "127.0.0.1").tlsa("_25._tcp.mx-ta.dane.test", 2, 0, 2, SHA512)
        .a("mx-pkix.dane.test", "127.0.0.1").tlsa("_25._tcp.mx-pkix.dane.test", 0, 0, 1, SHA256)
        .tlsa("_25._tcp.mx-pkix.dane.test", 1, 1, 1, SHA256)
        .a("mx-mixed.dane.test", "127.0.0.1").tlsa("_25._tcp.mx-mixed.dane.test", 1, 1, 1, SHA256)
        .tlsa("_25._tcp.mx-mixed.dane.test", 3, 1, 1, SHA256)
        .tlsa("_25._tcp.mx-mixed.dane.test", 3, 2, 1, SHA256) // selector 2: unknown
        .tlsa("_25._tcp.mx-mixed.dane.test", 3, 1, 3, SHA256) // matching type 3: unknown
        .tlsa("_25._tcp.mx-mixed.dane.test", 3, 1, 1, new byte[20]) // not a SHA-256 digest
        .a("mx-none.dane.test", "127.0.0.1")
        .a("mx-nodata.dane.test", "127.0.0.1").txt("_25._tcp.mx-nodata.dane.test", "no TLSA here")
        .a("mx-port.dane.test", "127.0.0.1").tlsa("_2525._tcp.mx-port.dane.test", 3, 1, 1, SHA256)
        .a("mx-badtlsa.dane.test", "127.0.0.1").tlsa("_25._tcp.mx-badtlsa.dane.test", 3, 1, 1, SHA256)
        .tamper("_25._tcp.mx-badtlsa.dane.test")
        .a("mx-expired.dane.test", "127.0.0.1").tlsa("_25._tcp.mx-expired.dane.test", 3, 1, 1, SHA256)
        .expire("mx-expired.dane.test")
        .unsignedDelegation("insecure.dane.test")
        .a("mx.insecure.dane.test", "127.0.0.1").tlsa("_25._tcp.mx.insecure.dane.test", 3, 1, 1, SHA256);
    dns = await(TestDnsServer.start(vertx));
    dns.answerWith(zone::answer);
    dns.a("mx.plain.test", "127.0.0.1").a("mx-v4only.plain.test", "127.0.0.1");
    // generous: on a loaded machine the first signed answers are slow; no test here waits for a timeout but one
    client = new DnsClient(vertx, new DnsConfig(List.of(dns.address()), 10_000, 0), executor);
  }

  @AfterEach
  void stop() throws Exception {
    await(dns.close());
    executor.shutdownNow();
  }

  @Test
  void secureUsableTlsaRecordsAreDane() throws Exception {
    DaneSource dane = validating();
    assertEquals(new DaneAnswer(Security.SECURE, List.of(EE)), await(dane.tlsa("mx-ee.dane.test", 25)));
    assertEquals(new DaneAnswer(Security.SECURE, List.of(TA)), await(dane.tlsa("MX-TA.dane.test.", 25)));
    assertEquals(new DaneAnswer(Security.SECURE, List.of(EE)), await(dane.tlsa("mx-port.dane.test", 2525)));
    assertEquals(3.0, lookups("usable"));
  }

  @Test
  void onlyDaneUsagesWithKnownSelectorsAndMatchingTypesAreUsable() throws Exception {
    DaneSource dane = validating();
    // RFC 7672 §2.2: secure records, none usable → TLS without authentication (SECURE, no records)
    assertEquals(new DaneAnswer(Security.SECURE, List.of()), await(dane.tlsa("mx-pkix.dane.test", 25)));
    assertEquals(new DaneAnswer(Security.SECURE, List.of(EE)), await(dane.tlsa("mx-mixed.dane.test", 25)));
    assertEquals(1.0, lookups("unusable"));
  }

  @Test
  void aSecureProofOfNoTlsaRecordsMeansNoDane() throws Exception {
    DaneSource dane = validating();
    assertEquals(DaneAnswer.INSECURE, await(dane.tlsa("mx-none.dane.test", 25)));   // NXDOMAIN, NSEC-proven
    assertEquals(DaneAnswer.INSECURE, await(dane.tlsa("mx-nodata.dane.test", 25))); // NODATA, NSEC-proven
    assertEquals(DaneAnswer.INSECURE, await(dane.tlsa("mx-port.dane.test", 25)));   // records only for 2525
    assertEquals(3.0, lookups("insecure"));
  }

  @Test
  void unsignedZonesAreInsecureNotBogus() throws Exception {
    DaneSource dane = validating();
    // below a delegation without DS (proven by the parent's NSEC): its TLSA record is never used
    assertEquals(DaneAnswer.INSECURE, await(dane.tlsa("mx.insecure.dane.test", 25)));
    assertEquals(0, dns.queries("_25._tcp.mx.insecure.dane.test", Type.TLSA), "no TLSA lookup for insecure addresses");
    // outside every trust anchor: an A answer, and a NODATA for AAAA (dnsjava answers that one SERVFAIL)
    assertEquals(DaneAnswer.INSECURE, await(dane.tlsa("mx.plain.test", 25)));
    assertEquals(DaneAnswer.INSECURE, await(dane.tlsa("mx-v4only.plain.test", 25)));
    assertEquals(DaneAnswer.INSECURE, await(dane.tlsa("[127.0.0.1]", 25)));
    assertEquals(0.0, lookups("bogus"));
  }

  @Test
  void aBadOrExpiredSignatureIsBogus() throws Exception {
    DaneSource dane = validating();
    DaneAnswer bogus = new DaneAnswer(Security.BOGUS, List.of());
    assertEquals(bogus, await(dane.tlsa("mx-badtlsa.dane.test", 25)));
    assertEquals(bogus, await(dane.tlsa("mx-expired.dane.test", 25)));
    assertEquals(2.0, lookups("bogus"));
  }

  @Test
  void answersAreCachedAndFailuresAreNot() throws Exception {
    DaneSource dane = validating();
    await(dane.tlsa("mx-ee.dane.test", 25));
    await(dane.tlsa("mx-badtlsa.dane.test", 25));
    assertEquals(new DaneAnswer(Security.SECURE, List.of(EE)), await(dane.tlsa("mx-ee.dane.test", 25)));
    assertEquals(Security.BOGUS, await(dane.tlsa("mx-badtlsa.dane.test", 25)).security());
    assertEquals(1, dns.queries("_25._tcp.mx-ee.dane.test", Type.TLSA));
    assertEquals(1, dns.queries("mx-badtlsa.dane.test", Type.A));
    assertEquals(2.0, lookups("usable") + lookups("bogus"), "cache hits are not counted");

    zone.a("mx-slow.dane.test", "127.0.0.1");
    dns.delay("mx-slow.dane.test", 3000); // past dns.timeoutMillis of this source
    dane = DaneSources.create(vertx, new DaneConfig(true, anchors().toString(), false, 100),
        new DnsClient(vertx, new DnsConfig(List.of(dns.address()), 1000, 0), executor), new HermodMetrics(registry));
    assertEquals(Security.BOGUS, await(dane.tlsa("mx-slow.dane.test", 25)).security(), "no answer: defer");
    assertEquals(1.0, lookups("failed"));
    await(dane.tlsa("mx-slow.dane.test", 25));
    assertEquals(2.0, lookups("failed"), "asked again");
  }

  @Test
  void theAdBitOfATrustedResolverDecides() throws Exception {
    DaneSource dane = new DaneLookups(vertx, DnssecQuestions.trustingAdBit(client.resolver(), executor), 100,
        new HermodMetrics(registry));
    assertEquals(new DaneAnswer(Security.SECURE, List.of(EE)), await(dane.tlsa("mx-ee.dane.test", 25)));
    assertEquals(new DaneAnswer(Security.SECURE, List.of()), await(dane.tlsa("mx-pkix.dane.test", 25)));
    assertEquals(DaneAnswer.INSECURE, await(dane.tlsa("mx.insecure.dane.test", 25)));
    assertEquals(DaneAnswer.INSECURE, await(dane.tlsa("mx.plain.test", 25)));
    // the resolver's SERVFAIL for bogus data: not used, defer
    assertEquals(Security.BOGUS, await(dane.tlsa("mx-badtlsa.dane.test", 25)).security());
  }

  @Test
  void aPlainLookupInFlightDoesNotAnswerDanesQuestion() throws Exception {
    DaneSource dane = validating();
    dns.delay("mx-ee.dane.test", 300); // both questions wait at the server together
    Future<DnsAnswer> plain = client.query(Name.fromString("mx-ee.dane.test."), Type.A, vertx.getOrCreateContext());
    Future<DaneAnswer> secure = dane.tlsa("mx-ee.dane.test", 25);
    assertEquals(DnsAnswer.Kind.RECORDS, await(plain).kind());
    assertEquals(new DaneAnswer(Security.SECURE, List.of(EE)), await(secure));
    assertEquals(2, dns.queries("mx-ee.dane.test", Type.A), "one plain query, one with DO and CD");
  }

  @Test
  void theTrustAnchorFileMustHoldDsOrDnskeyRecords() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.zone"), "; nothing\n");
    Path junk = Files.writeString(dir.resolve("junk.zone"), ". IN DS not a digest\n");
    ConfigException none = assertThrows(ConfigException.class, () -> TrustAnchors.load(empty.toString()));
    assertEquals("outboundTls.dane.trustAnchorFile", none.key());
    assertEquals("outboundTls.dane.trustAnchorFile",
        assertThrows(ConfigException.class, () -> TrustAnchors.load(junk.toString())).key());
    assertEquals("outboundTls.dane.trustAnchorFile",
        assertThrows(ConfigException.class, () -> TrustAnchors.load(dir.resolve("missing").toString())).key());
    assertEquals(2, TrustAnchors.load(null).records(), "the root's KSK-2017 and KSK-2024");
  }

  @Test
  void aDnskeyRecordServesAsTrustAnchorToo() throws Exception {
    Path key = Files.writeString(dir.resolve("key.zone"), zone.trustAnchorKey());
    DaneSource dane = DaneSources.create(vertx, new DaneConfig(true, key.toString(), false, 100), client,
        new HermodMetrics(registry));
    assertEquals(new DaneAnswer(Security.SECURE, List.of(EE)), await(dane.tlsa("mx-ee.dane.test", 25)));
    // another zone's key: the signatures lead nowhere trusted
    Path other = Files.writeString(dir.resolve("other.zone"), new SignedZone("dane.test").trustAnchorKey());
    DaneSource stranger = DaneSources.create(vertx, new DaneConfig(true, other.toString(), false, 100), client,
        new HermodMetrics(registry));
    assertEquals(Security.BOGUS, await(stranger.tlsa("mx-ee.dane.test", 25)).security());
  }

  @Test
  void daneOffIsNone() {
    assertEquals(DaneSource.NONE, DaneSources.create(vertx, new DaneConfig(false), client, HermodMetrics.noop()));
  }

  /** Through DaneSources, as Hermod builds it: validation from the zone's DS in a trust anchor file. */
  private DaneSource validating() throws Exception {
    return DaneSources.create(vertx, new DaneConfig(true, anchors().toString(), false, 100), client,
        new HermodMetrics(registry));
  }

  private Path anchors() throws Exception {
    return Files.writeString(dir.resolve("anchors.zone"), zone.trustAnchor());
  }

  private double lookups(String result) {
    var counter = registry.find("hermod.dane.lookups").tag("result", result).counter();
    return counter == null ? 0 : counter.count();
  }

  private static byte[] digest(int length, int first) {
    byte[] d = new byte[length];
    d[0] = (byte) first;
    return d;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
