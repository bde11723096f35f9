package io.hermod.tlspolicy.dane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hermod.tls.TestCertificates;
import io.hermod.tls.TestCertificates.Issued;
import io.hermod.tlspolicy.HostTlsPolicy;
import io.hermod.tlspolicy.PolicySource;
import io.hermod.tlspolicy.TlsLevel;
import io.hermod.tlspolicy.TlsResultType;
import io.hermod.tlspolicy.Tlsa;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 7671 §5 / RFC 7672 §3 matching, table-driven, with certificate chains issued in the test. */
class DanePeerCheckTest {

  private static final String HOST = "mx.dane.test";
  private static final Issued CA = TestCertificates.ca("Test Root");
  private static final Issued INTER = TestCertificates.intermediate("Test Intermediate", CA);
  private static final Issued LEAF = TestCertificates.leaf(INTER, HOST, "mx2.dane.test");
  private static final Issued OTHER_NAME = TestCertificates.leaf(INTER, "other.test");
  private static final Issued WILDCARD = TestCertificates.leaf(INTER, "*.dane.test");
  private static final Issued EXPIRED = TestCertificates.leaf(INTER, Instant.now().minus(Duration.ofDays(30)),
      Instant.now().minus(Duration.ofDays(1)), HOST);
  private static final Issued SELF = TestCertificates.selfSigned("not-the-mx.example");
  private static final Issued EXPIRED_SELF_EE = TestCertificates.leaf(TestCertificates.ca("Whoever"),
      Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1)), "wrong.example");
  private static final Issued ROGUE_CA = TestCertificates.ca("Rogue Root");
  // same subject name as INTER, another key: a leaf it signs claims INTER as its issuer
  private static final Issued FAKE_INTER = TestCertificates.intermediate("Test Intermediate", ROGUE_CA);
  private static final Issued FORGED = TestCertificates.leaf(FAKE_INTER, HOST);

  private static final X509Certificate[] CHAIN = chain(LEAF, INTER, CA);

  static Stream<Arguments> cases() {
    return Stream.of(
        // DANE-EE(3): the leaf alone, whatever its name, dates or issuer
        row("EE SPKI SHA-256", List.of(tlsa(3, 1, 1, LEAF)), CHAIN, HOST, null),
        row("EE certificate in full", List.of(tlsa(3, 0, 0, LEAF)), CHAIN, HOST, null),
        row("EE certificate SHA-512", List.of(tlsa(3, 0, 2, LEAF)), CHAIN, HOST, null),
        row("EE SPKI in full", List.of(tlsa(3, 1, 0, LEAF)), CHAIN, HOST, null),
        row("EE: expired, other name, unknown issuer", List.of(tlsa(3, 1, 1, EXPIRED_SELF_EE)),
            chain(EXPIRED_SELF_EE), HOST, null),
        row("EE: self-signed for another name", List.of(tlsa(3, 0, 1, SELF)), chain(SELF), HOST, null),
        row("EE of another key", List.of(tlsa(3, 1, 1, SELF)), CHAIN, HOST, TlsResultType.TLSA_INVALID),
        row("EE matching the intermediate only", List.of(tlsa(3, 1, 1, INTER)), CHAIN, HOST,
            TlsResultType.TLSA_INVALID),
        // DANE-TA(2): a sent certificate above the leaf, signatures, dates, the leaf's name
        row("TA root certificate SHA-256", List.of(tlsa(2, 0, 1, CA)), CHAIN, HOST, null),
        row("TA intermediate SPKI SHA-512", List.of(tlsa(2, 1, 2, INTER)), CHAIN, HOST, null),
        row("TA: the second name of the leaf", List.of(tlsa(2, 0, 1, CA)), CHAIN, "mx2.dane.test", null),
        row("TA: host name in another case, trailing dot", List.of(tlsa(2, 0, 1, CA)), CHAIN, "MX.Dane.Test.", null),
        row("TA: wildcard leaf", List.of(tlsa(2, 0, 1, CA)), chain(WILDCARD, INTER, CA), HOST, null),
        row("TA: wildcard covers one label only", List.of(tlsa(2, 0, 1, CA)), chain(WILDCARD, INTER, CA),
            "a.mx.dane.test", TlsResultType.CERTIFICATE_HOST_MISMATCH),
        row("TA: leaf names another host", List.of(tlsa(2, 0, 1, CA)), chain(OTHER_NAME, INTER, CA), HOST,
            TlsResultType.CERTIFICATE_HOST_MISMATCH),
        row("TA: MX host not in the leaf", List.of(tlsa(2, 0, 1, CA)), CHAIN, "mx3.dane.test",
            TlsResultType.CERTIFICATE_HOST_MISMATCH),
        row("TA: expired leaf", List.of(tlsa(2, 0, 1, CA)), chain(EXPIRED, INTER, CA), HOST,
            TlsResultType.CERTIFICATE_EXPIRED),
        row("TA: a leaf the anchor did not sign", List.of(tlsa(2, 0, 1, CA)), chain(FORGED, INTER, CA), HOST,
            TlsResultType.VALIDATION_FAILURE),
        row("TA: chain out of order", List.of(tlsa(2, 0, 1, CA)), chain(LEAF, CA, INTER), HOST,
            TlsResultType.VALIDATION_FAILURE),
        row("TA matching the leaf itself", List.of(tlsa(2, 0, 1, LEAF)), CHAIN, HOST, TlsResultType.TLSA_INVALID),
        row("TA not sent by the server", List.of(tlsa(2, 0, 1, CA)), chain(LEAF, INTER), HOST,
            TlsResultType.TLSA_INVALID),
        row("TA of another CA", List.of(tlsa(2, 0, 1, ROGUE_CA)), CHAIN, HOST, TlsResultType.TLSA_INVALID),
        // several records: any match is enough
        row("EE mismatch, TA match", List.of(tlsa(3, 1, 1, SELF), tlsa(2, 0, 1, CA)), CHAIN, HOST, null),
        row("TA name mismatch, EE match", List.of(tlsa(2, 0, 1, CA), tlsa(3, 1, 1, OTHER_NAME)),
            chain(OTHER_NAME, INTER, CA), HOST, null),
        row("no certificate", List.of(tlsa(3, 1, 1, LEAF)), new X509Certificate[0], HOST,
            TlsResultType.TLSA_INVALID));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void chainsAgainstTlsaRecords(String name, List<Tlsa> records, X509Certificate[] chain, String host,
                                TlsResultType expected) {
    HostTlsPolicy policy = new HostTlsPolicy(TlsLevel.DANE, PolicySource.DANE, "dane.test", false, records);
    assertEquals(expected, new DanePeerCheck(Clock.systemUTC()).check(policy, host, chain));
  }

  @ParameterizedTest(name = "{0} without records")
  @MethodSource("levels")
  void withoutUsableRecordsOnlyDaneOnlyFails(TlsLevel level, TlsResultType expected) {
    HostTlsPolicy policy = new HostTlsPolicy(level, PolicySource.DANE, "dane.test", false, List.of());
    assertEquals(expected, new DanePeerCheck(Clock.systemUTC()).check(policy, HOST, CHAIN));
  }

  static Stream<Arguments> levels() {
    return Stream.of(Arguments.of(TlsLevel.DANE, null), Arguments.of(TlsLevel.ENCRYPT, null),
        Arguments.of(TlsLevel.DANE_ONLY, TlsResultType.DANE_REQUIRED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("usability")
  void usableRecords(String name, Tlsa record, boolean usable) {
    assertEquals(usable, UsableTlsa.usable(record));
  }

  static Stream<Arguments> usability() {
    return Stream.of(
        Arguments.of("PKIX-TA", new Tlsa(0, 0, 1, new byte[32]), false),
        Arguments.of("PKIX-EE", new Tlsa(1, 1, 1, new byte[32]), false),
        Arguments.of("DANE-TA cert SHA-256", new Tlsa(2, 0, 1, new byte[32]), true),
        Arguments.of("DANE-EE SPKI SHA-512", new Tlsa(3, 1, 2, new byte[64]), true),
        Arguments.of("DANE-EE SPKI full", new Tlsa(3, 1, 0, new byte[91]), true),
        Arguments.of("usage 4", new Tlsa(4, 1, 1, new byte[32]), false),
        Arguments.of("selector 2", new Tlsa(3, 2, 1, new byte[32]), false),
        Arguments.of("matching type 3", new Tlsa(3, 1, 3, new byte[32]), false),
        Arguments.of("SHA-256 of 31 octets", new Tlsa(3, 1, 1, new byte[31]), false),
        Arguments.of("SHA-512 of 32 octets", new Tlsa(3, 1, 2, new byte[32]), false),
        Arguments.of("full, empty", new Tlsa(3, 0, 0, new byte[0]), false));
  }

  private static Arguments row(String name, List<Tlsa> records, X509Certificate[] chain, String host,
                               TlsResultType expected) {
    return Arguments.of(name, records, chain, host, expected);
  }

  private static X509Certificate[] chain(Issued... certificates) {
    return Arrays.stream(certificates).map(Issued::certificate).toArray(X509Certificate[]::new);
  }

  /** The TLSA record for {@code issued} with the given usage, selector and matching type. */
  static Tlsa tlsa(int usage, int selector, int matchingType, Issued issued) {
    try {
      X509Certificate c = issued.certificate();
      byte[] selected = selector == 0 ? c.getEncoded() : c.getPublicKey().getEncoded();
      byte[] data = switch (matchingType) {
        case 0 -> selected;
        case 1 -> MessageDigest.getInstance("SHA-256").digest(selected);
        default -> MessageDigest.getInstance("SHA-512").digest(selected);
      };
      return new Tlsa(usage, selector, matchingType, data);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
