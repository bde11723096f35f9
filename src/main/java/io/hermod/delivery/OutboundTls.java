package io.hermod.delivery;

import io.hermod.tlspolicy.PeerCheck;
import io.hermod.tlspolicy.PolicySource;
import io.hermod.tlspolicy.TlsReportSink;
import io.vertx.core.net.ClientSSLOptions;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How the delivery client does TLS (docs/security.md "Outbound TLS"): the protocol versions and cipher suites it
 * offers (outboundTls.protocols, outboundTls.ciphers; empty = the JDK's defaults), the check of the chain an MX
 * host presents ({@link PeerCheck}: PKIX for verify, DANE), and where each TLS attempt under a published policy
 * is reported ({@link TlsReportSink}, TLS-RPT).
 *
 * <p>The handshake itself accepts any certificate and the chain is checked afterwards, by the policy: one path
 * for every level, a precise failure type for TLS-RPT (expired vs. untrusted vs. wrong name, where a failing
 * TrustManager only gives a handshake alert), and MTA-STS testing can see the failure and still deliver.
 */
public record OutboundTls(List<String> protocols, List<String> ciphers, PeerCheck peers, TlsReportSink reports,
                          Counter counter) {

  /**
   * Counts each connection's TLS result under its policy's source (metric hermod.delivery.tls.sessions):
   * "verified", "dane", "encrypted", "plaintext", or an RFC 8460 failure type.
   */
  @FunctionalInterface
  public interface Counter {
    Counter NONE = (source, result) -> { };

    void count(PolicySource source, String result);
  }

  /** TLS 1.2 and 1.3 (RFC 8996 deprecates older versions), the JDK's ciphers, no checks, no reports. */
  public static final OutboundTls OPPORTUNISTIC = new OutboundTls(List.of("TLSv1.2", "TLSv1.3"), List.of(),
      PeerCheck.ANY, TlsReportSink.NONE, Counter.NONE);

  public OutboundTls {
    protocols = List.copyOf(protocols);
    ciphers = List.copyOf(ciphers);
  }

  public OutboundTls(List<String> protocols, List<String> ciphers, PeerCheck peers, TlsReportSink reports) {
    this(protocols, ciphers, peers, reports, Counter.NONE);
  }

  public OutboundTls withPeers(PeerCheck check) {
    return new OutboundTls(protocols, ciphers, check, reports, counter);
  }

  public OutboundTls withReports(TlsReportSink sink) {
    return new OutboundTls(protocols, ciphers, peers, sink, counter);
  }

  public OutboundTls withCounter(Counter c) {
    return new OutboundTls(protocols, ciphers, peers, reports, c);
  }

  /** The options of one STARTTLS upgrade: trust all (checked afterwards, see above), our versions and ciphers. */
  ClientSSLOptions sslOptions(long handshakeTimeoutMs) {
    ClientSSLOptions o = new ClientSSLOptions().setTrustAll(true).setHostnameVerificationAlgorithm("")
        .setSslHandshakeTimeout(handshakeTimeoutMs).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    if (!protocols.isEmpty()) {
      o.setEnabledSecureTransportProtocols(new LinkedHashSet<>(protocols));
    }
    ciphers.forEach(o::addEnabledCipherSuite);
    return o;
  }
}
