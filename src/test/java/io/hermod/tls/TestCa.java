package io.hermod.tls;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A certificate authority made in a test (JDK only, {@link X509Writer}): its certificate to trust (a file for
 * outboundTls.caFile), and server certificates it issues for chosen names and validity, e.g. an expired one.
 */
public final class TestCa {

  /** A server certificate (followed by the CA's, as servers send their chain) and its private key. */
  public record Issued(String chainPem, String keyPem) {
    public PemKeyCertOptions keyCertOptions() {
      return new PemKeyCertOptions().setCertValue(Buffer.buffer(chainPem)).setKeyValue(Buffer.buffer(keyPem));
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String name;
  private final KeyPair keys;
  private final String certificatePem;

  private TestCa(String name, KeyPair keys, String certificatePem) {
    this.name = name;
    this.keys = keys;
    this.certificatePem = certificatePem;
  }

  /** A CA named {@code name}, valid from an hour ago for a day. */
  public static TestCa create(String name) {
    try {
      KeyPair keys = rsa();
      Instant now = Instant.now();
      byte[] der = X509Writer.certificate(new X509Writer.Spec(name, List.of(), now.minus(Duration.ofHours(1)),
          now.plus(Duration.ofDays(1)), true), keys.getPublic(), name, keys, RANDOM);
      return new TestCa(name, keys, X509Writer.pem("CERTIFICATE", der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A server certificate for {@code dnsNames}, valid from an hour ago for a day. */
  public Issued issue(String... dnsNames) {
    Instant now = Instant.now();
    return issue(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), dnsNames);
  }

  public Issued issue(Instant notBefore, Instant notAfter, String... dnsNames) {
    try {
      KeyPair leaf = rsa();
      byte[] der = X509Writer.certificate(new X509Writer.Spec(dnsNames.length == 0 ? "no name" : dnsNames[0],
          List.of(dnsNames), notBefore, notAfter, false), leaf.getPublic(), name, keys, RANDOM);
      return new Issued(X509Writer.pem("CERTIFICATE", der) + certificatePem,
          X509Writer.pem("PRIVATE KEY", leaf.getPrivate().getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public String certificatePem() {
    return certificatePem;
  }

  /** The CA certificate written to {@code file} (a trust anchor file: outboundTls.caFile). */
  public Path write(Path file) throws IOException {
    return Files.writeString(file, certificatePem);
  }

  private static KeyPair rsa() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048, RANDOM);
    return generator.generateKeyPair();
  }
}
