package io.hermod.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.SslContext;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SelfSignedCertificate;
import javax.net.ssl.SSLSessionContext;
import org.junit.jupiter.api.Test;

/**
 * tls.sessionCacheSize and tls.sessionTimeoutSeconds reach the server contexts Vert.x builds with these engine
 * options (and survive the copy Vert.x makes of its options). That a real client resumes is TlsResumptionTest.
 */
class SessionResumptionTest {

  @Test
  void theServerContextGetsTheConfiguredCacheSizeAndTimeout() throws Exception {
    Vertx vertx = Vertx.vertx();
    SelfSignedCertificate cert = SelfSignedCertificate.create("mx.hermod.test");
    try {
      SessionResumption options = new SessionResumption(123, 45).copy();
      SslContext context = options.sslContextFactory().forClient(false)
          .keyMananagerFactory(new PemKeyCertOptions().setCertPath(cert.certificatePath())
              .setKeyPath(cert.privateKeyPath()).getKeyManagerFactory(vertx))
          .create();
      assertTrue(context.isServer());
      SSLSessionContext sessions = context.sessionContext();
      assertEquals(123, sessions.getSessionCacheSize());
      assertEquals(45, sessions.getSessionTimeout());
    } finally {
      cert.delete();
      vertx.close().await();
    }
  }
}
