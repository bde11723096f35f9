package io.hermod.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;

import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The JDK TLS engine (Vert.x's default) with the server session cache sized and timed from {@code tls.*}: a
 * reconnecting client resumes its session and skips the full handshake (RFC 8446 §2.2: a TLS 1.3 pre-shared key
 * from a NewSessionTicket; TLS 1.2: RFC 5077 session tickets, or the session id in this cache). The JDK server
 * issues stateless tickets ({@code jdk.tls.server.enableSessionTicketExtension}, true by default in JDK 17),
 * encrypted with keys it keeps in the context; the cache holds the TLS 1.2 sessions of clients without ticket
 * support. The timeout bounds a cached session and is the lifetime given to tickets, which JDK 17 does not
 * reliably enforce on a stateless ticket it is offered (measured; docs/security.md). Set on every TLS listener's
 * {@code NetServerOptions}; one context per listener (its instances share it, see {@link SharedServerTls}).
 */
public final class SessionResumption extends JdkSSLEngineOptions {

  private final int cacheSize;
  private final int timeoutSeconds;

  public SessionResumption(int cacheSize, int timeoutSeconds) {
    this.cacheSize = cacheSize;
    this.timeoutSeconds = timeoutSeconds;
  }

  private SessionResumption(SessionResumption that) {
    super(that);
    this.cacheSize = that.cacheSize;
    this.timeoutSeconds = that.timeoutSeconds;
  }

  public int cacheSize() {
    return cacheSize;
  }

  public int timeoutSeconds() {
    return timeoutSeconds;
  }

  @Override
  public SessionResumption copy() {
    return new SessionResumption(this);
  }

  @Override
  public SslContextFactory sslContextFactory() {
    return new Factory(super.sslContextFactory());
  }

  /** Vert.x's JDK factory, then the session settings on each server context it builds. */
  private final class Factory implements SslContextFactory {
    private final SslContextFactory jdk;

    Factory(SslContextFactory jdk) {
      this.jdk = jdk;
    }

    @Override
    public SslContext create() throws SSLException {
      SslContext context = jdk.create();
      if (context.isServer()) {
        SSLSessionContext sessions = context.sessionContext();
        sessions.setSessionCacheSize(cacheSize);
        sessions.setSessionTimeout(timeoutSeconds);
      }
      return context;
    }

    @Override
    public SslContextFactory useAlpn(boolean useAlpn) {
      jdk.useAlpn(useAlpn);
      return this;
    }

    @Override
    public SslContextFactory clientAuth(ClientAuth clientAuth) {
      jdk.clientAuth(clientAuth);
      return this;
    }

    @Override
    public SslContextFactory forClient(boolean forClient) {
      jdk.forClient(forClient);
      return this;
    }

    @Override
    public SslContextFactory keyMananagerFactory(KeyManagerFactory kmf) {
      jdk.keyMananagerFactory(kmf);
      return this;
    }

    @Override
    public SslContextFactory trustManagerFactory(TrustManagerFactory tmf) {
      jdk.trustManagerFactory(tmf);
      return this;
    }

    @Override
    public SslContextFactory enabledCipherSuites(Set<String> enabledCipherSuites) {
      jdk.enabledCipherSuites(enabledCipherSuites);
      return this;
    }

    @Override
    public SslContextFactory applicationProtocols(List<String> applicationProtocols) {
      jdk.applicationProtocols(applicationProtocols);
      return this;
    }

    @Override
    public SslContextFactory serverName(String serverName) {
      jdk.serverName(serverName);
      return this;
    }
  }
}
