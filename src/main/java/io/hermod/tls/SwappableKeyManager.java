package io.hermod.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key manager whose certificate and key can be replaced while servers run. The JDK's TLS engine asks the
 * key manager for the certificate at every handshake, so Vert.x keeps one TLS context for the lifetime of
 * the listener (STARTTLS upgrades reuse it and install the TLS handler at once) while a renewed certificate
 * is served from the next handshake on.
 */
final class SwappableKeyManager extends X509ExtendedKeyManager {

  private volatile X509ExtendedKeyManager delegate;

  SwappableKeyManager(X509ExtendedKeyManager initial) {
    this.delegate = initial;
  }

  void swap(X509ExtendedKeyManager next) {
    delegate = next;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return delegate.getClientAliases(keyType, issuers);
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return delegate.chooseClientAlias(keyType, issuers, socket);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return delegate.getServerAliases(keyType, issuers);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return delegate.chooseServerAlias(keyType, issuers, socket);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return delegate.chooseEngineServerAlias(keyType, issuers, engine);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return delegate.chooseEngineClientAlias(keyType, issuers, engine);
  }

  /*
   * One handshake asks for the alias, the chain and the key in separate calls; a swap between them can pair
   * the old chain with the new key. That one handshake fails and the client tries again: a swap happens once
   * per certificate renewal, so this is not worth a lock on every handshake.
   */
  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return delegate.getCertificateChain(alias);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return delegate.getPrivateKey(alias);
  }
}
