package io.hermod.tlspolicy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.Set;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The {@code verify} level and MTA-STS (RFC 8461 §4.2): the chain the MX host presented must build a PKIX path
 * (RFC 5280) to one of the trust anchors, and its leaf must name the MX host ({@link CertificateNames}). The
 * delivery client handshakes accepting any certificate and checks the chain here afterwards, so that a failure
 * is classified for TLS-RPT (expired, not trusted, host mismatch) and a report-only policy can still deliver.
 * Revocation is not checked (as Postfix and the MTA-STS RFC: OCSP/CRL fetches per delivery are not expected).
 */
public final class PkixCheck {

  private final Set<TrustAnchor> anchors;
  private final Clock clock;

  public PkixCheck(Set<TrustAnchor> anchors, Clock clock) {
    if (anchors.isEmpty()) {
      throw new IllegalArgumentException("no trust anchors");
    }
    this.anchors = Set.copyOf(anchors);
    this.clock = clock;
  }

  /** The JDK's trust store (cacerts), as its default TrustManagerFactory sees it. Blocking: call off the event loop. */
  public static Set<TrustAnchor> jdkAnchors() {
    try {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init((KeyStore) null);
      Set<TrustAnchor> out = new HashSet<>();
      for (var tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          Arrays.stream(x.getAcceptedIssuers()).forEach(c -> out.add(new TrustAnchor(c, null)));
        }
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the JDK trust store: " + e.getMessage(), e);
    }
  }

  /**
   * Every certificate of a PEM bundle (outboundTls.caFile) as a trust anchor. Blocking.
   *
   * @throws IllegalArgumentException naming the file when it holds no certificate or cannot be read
   */
  public static Set<TrustAnchor> pemAnchors(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      Set<TrustAnchor> out = new HashSet<>();
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add(new TrustAnchor((X509Certificate) c, null));
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException(file + " holds no certificate");
      }
      return out;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Null when {@code chain} (leaf first) is PKIX-valid now and names {@code mxHost}; else the RFC 8460 failure. */
  public TlsResultType check(X509Certificate[] chain, String mxHost) {
    if (chain == null || chain.length == 0) {
      return TlsResultType.VALIDATION_FAILURE;
    }
    X509Certificate leaf = chain[0];
    Date now = Date.from(clock.instant());
    try {
      leaf.checkValidity(now);
    } catch (CertificateExpiredException e) {
      return TlsResultType.CERTIFICATE_EXPIRED;
    } catch (CertificateNotYetValidException e) {
      return TlsResultType.VALIDATION_FAILURE;
    }
    if (!buildsPath(chain, now)) {
      return TlsResultType.CERTIFICATE_NOT_TRUSTED;
    }
    return CertificateNames.matches(CertificateNames.dnsNames(leaf), mxHost) ? null
        : TlsResultType.CERTIFICATE_HOST_MISMATCH;
  }

  /**
   * A path from the leaf to an anchor, through the other certificates presented in any order (servers send
   * extra and misordered ones; a builder, not a validator of the list as given, copes with that).
   */
  private boolean buildsPath(X509Certificate[] chain, Date now) {
    try {
      X509CertSelector target = new X509CertSelector();
      target.setCertificate(chain[0]);
      PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
      params.setRevocationEnabled(false);
      params.setDate(now);
      params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(Arrays.asList(chain))));
      CertPathBuilder.getInstance("PKIX").build(params);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
