package io.hermod.server;

import io.hermod.tls.Handshake;

import javax.net.ssl.SSLSession;

/** What TLS a session runs under, for the Received header (RFC 3848), logs and metrics. */
record TlsState(String protocol, String cipher, Handshake handshake) {

  static TlsState of(SSLSession ssl) {
    return new TlsState(ssl.getProtocol(), ssl.getCipherSuite(), Handshake.of(ssl));
  }

  /** The Received header comment: "version=TLSv1.3 cipher=TLS_AES_256_GCM_SHA384". */
  String comment() {
    return "version=" + ReceivedHeader.safe(protocol) + " cipher=" + ReceivedHeader.safe(cipher);
  }
}
