package io.hermod.tlspolicy;

import io.vertx.core.Future;

/**
 * DANE lookups through a DNSSEC-validating resolver (RFC 7672 §2.2): is the MX host's address secure, and its
 * TLSA records. Only what DANE needs goes through the validating resolver (shared/DESIGN.md: a SERVFAIL outside
 * any trust anchor means "insecure", not "bogus").
 */
public interface DaneSource {

  /** No DANE (outboundTls.dane.enabled false): every host is insecure. */
  DaneSource NONE = (host, port) -> Future.succeededFuture(DaneAnswer.INSECURE);

  Future<DaneAnswer> tlsa(String mxHost, int port);
}
