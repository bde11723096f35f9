package io.hermod.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.testing.TestHermod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The certificate generated at first start (issue #16): subjectAltNames for the host name, localhost, 127.0.0.1
 * and ::1 and a bounded validity, so that a client can trust the file itself. Checked by an independent client,
 * Debian's Python (its ssl module is OpenSSL, which ignores a CN when verifying a name).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GeneratedCertificateTest {

  /** Connects with implicit TLS trusting only argv[2] (the generated cert.pem), once per name in argv[3:]. */
  private static final String CLIENT = String.join("\n",
      "import socket, ssl, sys",
      "ctx = ssl.create_default_context(cafile=sys.argv[2])",
      "for name in sys.argv[3:]:",
      "    try:",
      "        with socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10) as raw:",
      "            with ctx.wrap_socket(raw, server_hostname=name) as tls:",
      "                print('ok', name, tls.recv(100).decode().split(' ')[0])",
      "    except ssl.SSLCertVerificationError as e:",
      "        print('refused', name, e.verify_message)");

  @TempDir
  Path temp;

  @Test
  void pythonsSslTrustsTheGeneratedFileForEveryNameItCarries() throws Exception {
    JsonObject implicit = new JsonObject().put("listeners", new JsonArray().add(new JsonObject()
        .put("name", "smtps").put("host", "127.0.0.1").put("port", 0).put("role", "mx").put("tls", "implicit")));
    try (TestHermod h = TestHermod.start(temp.resolve("spool"), implicit)) {
      Path cert = temp.resolve("tls").resolve("cert.pem");
      Process p = new ProcessBuilder("/usr/bin/python3", "-c", CLIENT, String.valueOf(h.port()), cert.toString(),
          "mx.hermod.test", "localhost", "127.0.0.1", "::1", "other.example").redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "python did not finish");
      assertEquals(0, p.exitValue(), output);
      assertEquals(List.of("ok mx.hermod.test 220", "ok localhost 220", "ok 127.0.0.1 220", "ok ::1 220",
          "refused other.example Hostname mismatch, certificate is not valid for 'other.example'."),
          output.lines().toList());
    }
  }

  @Test
  void theCertificateIsV3WithItsNamesAndAValidityOf825Days() throws Exception {
    Instant now = Instant.parse("2026-12-06T10:00:00Z");
    SelfSigned.Pem pem = SelfSigned.generate("mx.example.org", now, new SecureRandom());
    X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.certificate().getBytes(StandardCharsets.US_ASCII)));
    x509.verify(x509.getPublicKey()); // self-signed, and the DER is what the JDK's parser accepts
    assertEquals(3, x509.getVersion());
    assertEquals("CN=mx.example.org", x509.getSubjectX500Principal().getName());
    assertEquals(List.of("mx.example.org", "localhost", "127.0.0.1", "0:0:0:0:0:0:0:1"), SelfSigned.subjectAltNames(x509));
    assertEquals(now.minus(Duration.ofHours(1)), x509.getNotBefore().toInstant());
    assertEquals(now.plus(Duration.ofDays(825)), x509.getNotAfter().toInstant());
    assertEquals(List.of("1.3.6.1.5.5.7.3.1"), x509.getExtendedKeyUsage());
    assertTrue(x509.getBasicConstraints() >= 0, "a CA, so that the file can be a client's trust anchor");
    assertTrue(pem.privateKey().startsWith("-----BEGIN PRIVATE KEY-----\n"));
  }

  /** A generated pair is made again when it no longer fits: no SAN (an older Hermod's), other host, near expiry. */
  @Test
  void aStaleGeneratedCertificateIsMadeAgain() throws Exception {
    Path cert = temp.resolve("cert.pem");
    Instant now = Instant.now();
    Files.writeString(cert, SelfSigned.generate("mx.example.org", now, new SecureRandom()).certificate());
    assertNull(ServerCertificate.stale(cert, "mx.example.org", now));
    assertEquals("it does not name mx2.example.org", ServerCertificate.stale(cert, "mx2.example.org", now));
    assertTrue(ServerCertificate.stale(cert, "mx.example.org", now.plus(Duration.ofDays(800))).startsWith("it expires on "));

    SelfSignedCertificate cnOnly = SelfSignedCertificate.create("mx.example.org"); // what Hermod generated before
    try {
      assertEquals("it has no subjectAltName", ServerCertificate.stale(Path.of(cnOnly.certificatePath()),
          "mx.example.org", now));
    } finally {
      cnOnly.delete();
    }
  }
}
