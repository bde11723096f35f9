package io.hermod.tlspolicy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.tls.TestCa;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verify level's chain check, without sockets: certificates a CA made in the test issued. */
class PkixCheckTest {

  private static TestCa ca;
  private static TestCa other;

  @BeforeAll
  static void cas() {
    ca = TestCa.create("Check CA");
    other = TestCa.create("Other CA");
  }

  private static X509Certificate[] chain(String pem) throws Exception {
    return CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
        .toArray(X509Certificate[]::new);
  }

  private static PkixCheck trusting(TestCa anchor, Path dir) throws Exception {
    return new PkixCheck(PkixCheck.pemAnchors(anchor.write(dir.resolve("ca.pem"))), Clock.systemUTC());
  }

  @Test
  void classifiesEachFailure(@TempDir Path dir) throws Exception {
    PkixCheck check = trusting(ca, dir);
    Instant now = Instant.now();
    assertNull(check.check(chain(ca.issue("mx.example.com").chainPem()), "mx.example.com"));
    assertNull(check.check(chain(ca.issue("*.example.com").chainPem()), "MX.example.com."));
    assertEquals(TlsResultType.CERTIFICATE_HOST_MISMATCH,
        check.check(chain(ca.issue("*.example.com").chainPem()), "a.mx.example.com"));
    assertEquals(TlsResultType.CERTIFICATE_EXPIRED, check.check(chain(ca.issue(now.minus(Duration.ofDays(2)),
        now.minus(Duration.ofDays(1)), "mx.example.com").chainPem()), "mx.example.com"));
    assertEquals(TlsResultType.VALIDATION_FAILURE, check.check(chain(ca.issue(now.plus(Duration.ofDays(1)),
        now.plus(Duration.ofDays(2)), "mx.example.com").chainPem()), "mx.example.com"));
    assertEquals(TlsResultType.CERTIFICATE_NOT_TRUSTED,
        check.check(chain(other.issue("mx.example.com").chainPem()), "mx.example.com"));
    assertEquals(TlsResultType.VALIDATION_FAILURE, check.check(new X509Certificate[0], "mx.example.com"));
  }

  @Test
  void extraAndMisorderedCertificatesDoNotMatter(@TempDir Path dir) throws Exception {
    X509Certificate[] issued = chain(ca.issue("mx.example.com").chainPem());
    X509Certificate[] strange = {issued[0], chain(other.certificatePem())[0], issued[1]};
    assertNull(trusting(ca, dir).check(strange, "mx.example.com"));
    // The leaf alone is enough when the anchor is known.
    assertNull(trusting(ca, dir).check(new X509Certificate[] {issued[0]}, "mx.example.com"));
  }

  @Test
  void validityIsJudgedByTheClock(@TempDir Path dir) throws Exception {
    X509Certificate[] issued = chain(ca.issue("mx.example.com").chainPem());
    Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(30)), ZoneOffset.UTC);
    PkixCheck check = new PkixCheck(PkixCheck.pemAnchors(ca.write(dir.resolve("ca.pem"))), later);
    assertEquals(TlsResultType.CERTIFICATE_EXPIRED, check.check(issued, "mx.example.com"));
  }

  @Test
  void aCaFileWithoutCertificatesIsRefusedNamingIt(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PkixCheck.pemAnchors(empty));
    assertTrue(e.getMessage().contains("empty.pem"), e.getMessage());
  }

  @Test
  void theJdkTrustStoreHasAnchors() {
    assertTrue(PkixCheck.jdkAnchors().size() > 10);
  }
}
