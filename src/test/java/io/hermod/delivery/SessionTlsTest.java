package io.hermod.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hermod.tlspolicy.HostTlsPolicy;
import io.hermod.tlspolicy.PolicySource;
import io.hermod.tlspolicy.TlsLevel;
import io.hermod.tlspolicy.TlsResultType;
import io.hermod.tlspolicy.Tlsa;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which pooled session may carry a job under which host policy: never a weaker one for a stricter job. */
class SessionTlsTest {

  private static final String HOST = "mx.example.com";
  private static final Tlsa A = new Tlsa(3, 1, 1, new byte[] {1});
  private static final Tlsa B = new Tlsa(3, 1, 1, new byte[] {2});

  private static HostTlsPolicy p(TlsLevel level, List<Tlsa> tlsa) {
    return new HostTlsPolicy(level, PolicySource.CONFIG, "example.com", false, tlsa);
  }

  private static final HostTlsPolicy NONE = p(TlsLevel.NONE, List.of());
  private static final HostTlsPolicy MAY = HostTlsPolicy.OPPORTUNISTIC;
  private static final HostTlsPolicy ENCRYPT = p(TlsLevel.ENCRYPT, List.of());
  private static final HostTlsPolicy VERIFY = p(TlsLevel.VERIFY, List.of());
  private static final HostTlsPolicy TESTING = new HostTlsPolicy(TlsLevel.VERIFY, PolicySource.MTA_STS, "example.com",
      true, List.of());
  private static final HostTlsPolicy DANE_A = p(TlsLevel.DANE, List.of(A));
  private static final HostTlsPolicy DANE_B = p(TlsLevel.DANE, List.of(B));

  private static SessionTls plain(HostTlsPolicy under) {
    return SessionTls.plaintext(under, HOST, null);
  }

  private static SessionTls tls(HostTlsPolicy under) {
    return new SessionTls("TLSv1.3", "TLS_AES_128_GCM_SHA256", under, HOST, null);
  }

  static Stream<Arguments> table() {
    SessionTls failedTesting = new SessionTls("TLSv1.3", "TLS_AES_128_GCM_SHA256", TESTING, HOST,
        TlsResultType.CERTIFICATE_HOST_MISMATCH);
    return Stream.of(
        Arguments.of("plaintext serves none", plain(NONE), NONE, HOST, true),
        Arguments.of("plaintext serves may", plain(NONE), MAY, HOST, true),
        Arguments.of("plaintext serves report-only", plain(NONE), TESTING, HOST, true),
        Arguments.of("plaintext never serves encrypt", plain(MAY), ENCRYPT, HOST, false),
        Arguments.of("plaintext never serves verify", plain(MAY), VERIFY, HOST, false),
        Arguments.of("plaintext never serves dane with records", plain(MAY), DANE_A, HOST, false),
        Arguments.of("encrypted serves encrypt", tls(MAY), ENCRYPT, HOST, true),
        Arguments.of("unverified never serves verify", tls(ENCRYPT), VERIFY, HOST, false),
        Arguments.of("verified serves verify for its host", tls(VERIFY), VERIFY, HOST, true),
        Arguments.of("verified never serves verify for another name", tls(VERIFY), VERIFY, "mx2.example.com", false),
        Arguments.of("report-only verify never serves verify", tls(TESTING), VERIFY, HOST, false),
        Arguments.of("a failed report-only check never serves encrypt", failedTesting, ENCRYPT, HOST, false),
        Arguments.of("verified never serves dane", tls(VERIFY), DANE_A, HOST, false),
        Arguments.of("dane serves dane with the same records", tls(DANE_A), DANE_A, HOST, true),
        Arguments.of("dane never serves dane with other records", tls(DANE_A), DANE_B, HOST, false),
        Arguments.of("dane never serves verify", tls(DANE_A), VERIFY, HOST, false),
        Arguments.of("dane serves encrypt", tls(DANE_A), ENCRYPT, HOST, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void satisfies(String name, SessionTls session, HostTlsPolicy wanted, String host, boolean expected) {
    assertEquals(expected, session.satisfies(wanted, host));
  }
}
