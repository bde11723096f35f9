package io.hermod.tls;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A self-signed X.509 v3 certificate for a test or first-start server, as {@code openssl req -x509} makes one:
 * 2048-bit RSA, SHA-256, the host name as the subject's CN and, what clients check (RFC 6125 §6.4.4: a CN alone
 * is not enough for Python's ssl, Go or browsers), subjectAltNames for the host name, {@code localhost},
 * {@code 127.0.0.1} and {@code ::1}; basicConstraints CA (so that the file itself can be the trust anchor a
 * client loads), key usages, serverAuth, key identifiers; valid from an hour ago for {@value #VALIDITY_DAYS} days
 * (the longest Apple's clients accept for a server certificate from a locally trusted root). The DER is written
 * here (RFC 5280 §4.1): the JDK has no public API for making certificates and BouncyCastle is not on the class
 * path ({@link X509Writer}).
 */
final class SelfSigned {

  static final int VALIDITY_DAYS = 825;

  /** What the certificate names besides the host name. */
  static final List<String> LOCAL_NAMES = List.of("localhost", "127.0.0.1", "::1");

  record Pem(String certificate, String privateKey) {
  }

  private SelfSigned() {
  }

  /** The names a certificate for {@code hostname} carries, in order, without repeats. */
  static List<String> names(String hostname) {
    Set<String> names = new LinkedHashSet<>();
    names.add(hostname);
    names.addAll(LOCAL_NAMES);
    return List.copyOf(names);
  }

  static Pem generate(String hostname, Instant now, SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, random);
      KeyPair keys = generator.generateKeyPair();
      byte[] certificate = X509Writer.certificate(new X509Writer.Spec(hostname, names(hostname),
          now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(VALIDITY_DAYS)), true), keys.getPublic(),
          hostname, keys, random);
      return new Pem(X509Writer.pem("CERTIFICATE", certificate),
          X509Writer.pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a self-signed certificate: " + e, e);
    }
  }

  /** The DNS names and IP addresses of a certificate's subjectAltName (as text), empty if it has none. */
  static List<String> subjectAltNames(X509Certificate certificate) {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> n : names) {
          if ((Integer) n.get(0) == 2 || (Integer) n.get(0) == 7) {
            out.add(String.valueOf(n.get(1)));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // none usable
    }
    return out;
  }

}
