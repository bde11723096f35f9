package io.hermod.config;

/**
 * MTA-STS, RFC 8461 ("outboundTls.mtaSts", docs/security.md "MTA-STS").
 *
 * @param enabled              look up and honour recipient domains' MTA-STS policies ("outboundTls.mtaSts.enabled")
 * @param caFile               PEM file of the CAs that policy hosts' (and TLS-RPT HTTPS endpoints') certificates
 *                             must chain to; null = those of outboundTls.caFile, else the JDK's trust store ("outboundTls.mtaSts.caFile")
 * @param policyPort           the port of the policy host: 443 (RFC 8461 §3.3); another value is for tests only
 *                             ("outboundTls.mtaSts.policyPort")
 * @param fetchTimeoutMillis   the longest one policy fetch may take, connect to last byte
 *                             ("outboundTls.mtaSts.fetchTimeoutMillis")
 * @param maxPolicyBytes       a bigger policy body is a fetch error ("outboundTls.mtaSts.maxPolicyBytes")
 * @param cacheSize            the most policies kept ("outboundTls.mtaSts.cacheSize")
 * @param maxConcurrentFetches the most policy fetches in flight at once ("outboundTls.mtaSts.maxConcurrentFetches")
 * @param refreshSeconds       how often cached policies past half their max_age are refreshed
 *                             ("outboundTls.mtaSts.refreshSeconds")
 */
public record MtaStsConfig(boolean enabled, String caFile, int policyPort, int fetchTimeoutMillis, int maxPolicyBytes,
                           int cacheSize, int maxConcurrentFetches, int refreshSeconds) {

  /** MTA-STS off; the other values are the documented defaults. */
  public static MtaStsConfig disabled() {
    return new MtaStsConfig(false, null, 443, 10_000, 65_536, 10_000, 32, 3600);
  }
}
