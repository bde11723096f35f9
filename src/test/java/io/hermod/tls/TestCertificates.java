package io.hermod.tls;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Certificate chains made in a test with {@link X509Writer} (RSA): a root CA, intermediates it signs, server
 * certificates with subjectAltName DNS names and the validity window the test asks for; each as an
 * {@link X509Certificate} with its keys, for checks on chains (DANE) and for TLS servers on 127.0.0.1 ({@link TestCa}
 * is the simpler one-CA, PEM-only helper).
 */
public final class TestCertificates {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A certificate, its subject's CN and its keys. */
  public record Issued(X509Certificate certificate, String commonName, KeyPair keys) {

    public String certificatePem() {
      try {
        return X509Writer.pem("CERTIFICATE", certificate.getEncoded());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    public String keyPem() {
      return X509Writer.pem("PRIVATE KEY", keys.getPrivate().getEncoded());
    }
  }

  private TestCertificates() {
  }

  /** A self-signed CA named {@code cn}, valid from an hour ago for a day. */
  public static Issued ca(String cn) {
    return issue(cn, List.of(), true, null, now().minus(Duration.ofHours(1)), now().plus(Duration.ofDays(1)));
  }

  /** An intermediate CA named {@code cn}, signed by {@code issuer}, valid from an hour ago for a day. */
  public static Issued intermediate(String cn, Issued issuer) {
    return issue(cn, List.of(), true, issuer, now().minus(Duration.ofHours(1)), now().plus(Duration.ofDays(1)));
  }

  /** A server certificate for {@code dnsNames} (the first is also the CN), valid from an hour ago for a day. */
  public static Issued leaf(Issued issuer, String... dnsNames) {
    return leaf(issuer, now().minus(Duration.ofHours(1)), now().plus(Duration.ofDays(1)), dnsNames);
  }

  /** As {@link #leaf(Issued, String...)}, valid from {@code notBefore} to {@code notAfter}. */
  public static Issued leaf(Issued issuer, Instant notBefore, Instant notAfter, String... dnsNames) {
    return issue(dnsNames[0], List.of(dnsNames), false, issuer, notBefore, notAfter);
  }

  /** A self-signed server certificate (not a CA) for {@code dnsNames}. */
  public static Issued selfSigned(String... dnsNames) {
    return issue(dnsNames[0], List.of(dnsNames), false, null, now().minus(Duration.ofHours(1)),
        now().plus(Duration.ofDays(1)));
  }

  private static Issued issue(String cn, List<String> dnsNames, boolean ca, Issued issuer, Instant notBefore,
                              Instant notAfter) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, RANDOM);
      KeyPair keys = generator.generateKeyPair();
      byte[] der = X509Writer.certificate(new X509Writer.Spec(cn, dnsNames, notBefore, notAfter, ca),
          keys.getPublic(), issuer == null ? cn : issuer.commonName(), issuer == null ? keys : issuer.keys(), RANDOM);
      X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new java.io.ByteArrayInputStream(der));
      return new Issued(certificate, cn, keys);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot issue a test certificate: " + e, e);
    }
  }

  private static Instant now() {
    return Instant.now();
  }
}
