package io.hermod.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Certificates issued in a test, with {@link SelfSigned}'s DER writer: a CA, and certificates it signs (an
 * intermediate CA or a server's leaf with subjectAltName DNS names), each with its own ECDSA P-256 key and the
 * validity window the test asks for. For DANE (TLSA matching, chain signatures) and TLS peers on 127.0.0.1.
 */
public final class TestCertificates {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";

  /** A certificate and its private key. */
  public record Issued(X509Certificate certificate, PrivateKey key) {

    public String certificatePem() {
      try {
        return SelfSigned.pem("CERTIFICATE", certificate.getEncoded());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    public String keyPem() {
      return SelfSigned.pem("PRIVATE KEY", key.getEncoded());
    }
  }

  private TestCertificates() {
  }

  /** A self-signed CA named {@code cn}, valid from an hour ago for a year. */
  public static Issued ca(String cn) {
    Instant now = Instant.now();
    return issue(cn, List.of(), true, null, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365)));
  }

  /** An intermediate CA named {@code cn}, signed by {@code issuer}, valid from an hour ago for a year. */
  public static Issued intermediate(String cn, Issued issuer) {
    Instant now = Instant.now();
    return issue(cn, List.of(), true, issuer, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365)));
  }

  /** A server certificate for {@code dnsNames} (the first is also the CN), valid from an hour ago for 90 days. */
  public static Issued leaf(Issued issuer, String... dnsNames) {
    Instant now = Instant.now();
    return leaf(issuer, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(90)), dnsNames);
  }

  /** As {@link #leaf(Issued, String...)}, valid from {@code notBefore} to {@code notAfter}. */
  public static Issued leaf(Issued issuer, Instant notBefore, Instant notAfter, String... dnsNames) {
    return issue(dnsNames[0], List.of(dnsNames), false, issuer, notBefore, notAfter);
  }

  /** A self-signed server certificate (no CA) for {@code dnsNames}. */
  public static Issued selfSigned(String... dnsNames) {
    Instant now = Instant.now();
    return issue(dnsNames[0], List.of(dnsNames), false, null, now.minus(Duration.ofHours(1)),
        now.plus(Duration.ofDays(90)));
  }

  private static Issued issue(String cn, List<String> dnsNames, boolean ca, Issued issuer, Instant notBefore,
                              Instant notAfter) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      KeyPair keys = generator.generateKeyPair();
      byte[] algorithm = SelfSigned.seq(SelfSigned.oid(ECDSA_WITH_SHA256));
      byte[] subject = name(cn);
      byte[] issuerName = issuer == null ? subject : issuer.certificate().getSubjectX500Principal().getEncoded();
      byte[] serial = new byte[16];
      RANDOM.nextBytes(serial);
      serial[0] = (byte) ((serial[0] & 0x7f) | 0x01);
      byte[] keyUsage = ca ? new byte[] {0x01, 0x06} : new byte[] {0x07, (byte) 0x80}; // keyCertSign+cRLSign / digitalSignature
      byte[] extensions = dnsNames.isEmpty()
          ? SelfSigned.seq(
              SelfSigned.extension("2.5.29.19", true, ca ? SelfSigned.seq(SelfSigned.tlv(0x01, new byte[] {(byte) 0xff}))
                  : SelfSigned.seq()),
              SelfSigned.extension("2.5.29.15", true, SelfSigned.tlv(0x03, keyUsage)))
          : SelfSigned.seq(
              SelfSigned.extension("2.5.29.19", true, SelfSigned.seq()),
              SelfSigned.extension("2.5.29.15", true, SelfSigned.tlv(0x03, keyUsage)),
              SelfSigned.extension("2.5.29.17", false, SelfSigned.subjectAltNames(dnsNames)));
      byte[] tbs = SelfSigned.seq(
          SelfSigned.tlv(0xa0, SelfSigned.integer(new byte[] {2})),
          SelfSigned.integer(serial),
          algorithm,
          issuerName,
          SelfSigned.seq(SelfSigned.time(notBefore), SelfSigned.time(notAfter)),
          subject,
          keys.getPublic().getEncoded(),
          SelfSigned.tlv(0xa3, extensions));
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(issuer == null ? keys.getPrivate() : issuer.key(), RANDOM);
      signer.update(tbs);
      byte[] der = SelfSigned.seq(tbs, algorithm, SelfSigned.bitString(signer.sign()));
      X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
      return new Issued(certificate, keys.getPrivate());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot issue a test certificate: " + e, e);
    }
  }

  private static byte[] name(String cn) {
    return SelfSigned.seq(SelfSigned.set(SelfSigned.seq(SelfSigned.oid("2.5.4.3"),
        SelfSigned.tlv(0x0c, cn.getBytes(StandardCharsets.UTF_8)))));
  }
}
