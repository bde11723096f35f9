package io.hermod.tlspolicy;

import io.vertx.core.Future;

import java.util.Optional;

/**
 * A domain's MTA-STS policy (RFC 8461): from the cache while fresh, else discovered (the {@code _mta-sts} TXT
 * record) and fetched over HTTPS. Empty when the domain has none. A fetch failure with a cached policy still in
 * its max_age completes with the cached one (§5.1); a failure without one completes empty and is reported
 * (TLS-RPT sts-policy-fetch-error).
 */
public interface MtaStsSource {

  /** No MTA-STS (outboundTls.mtaSts.enabled false). */
  MtaStsSource NONE = domain -> Future.succeededFuture(Optional.empty());

  Future<Optional<StsPolicy>> policy(String domain);
}
