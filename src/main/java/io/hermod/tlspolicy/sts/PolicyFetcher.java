package io.hermod.tlspolicy.sts;

import io.hermod.tlspolicy.TlsResultType;
import io.hermod.tlspolicy.web.HttpsClient;
import io.hermod.tlspolicy.web.HttpsFailure;
import io.vertx.core.Future;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * Fetches {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} (RFC 8461 §3.3): HTTPS with a PKIX-valid
 * certificate for that host, no redirects, status 200, media type text/plain, a size limit and a timeout, then
 * parses it strictly. Fails with a {@link FetchFailure} naming the TLS-RPT result type: a certificate problem is
 * sts-webpki-invalid, a body that is not a valid text/plain policy is sts-policy-invalid, anything else (no
 * address, no connection, a timeout, a redirect or other status, a body over the limit) sts-policy-fetch-error.
 */
public final class PolicyFetcher {

  static final String PATH = "/.well-known/mta-sts.txt";

  private final HttpsClient https;
  private final int port;
  private final int maxBytes;
  private final long timeoutMillis;
  private final Clock clock;

  /** @param port 443 but in tests (outboundTls.mtaSts.policyPort) */
  public PolicyFetcher(HttpsClient https, int port, int maxBytes, long timeoutMillis, Clock clock) {
    this.https = https;
    this.port = port;
    this.maxBytes = maxBytes;
    this.timeoutMillis = timeoutMillis;
    this.clock = clock;
  }

  /** The policy of {@code domain} fetched under the TXT record's {@code id}. */
  public Future<CachedPolicy> fetch(String domain, String id) {
    String host = "mta-sts." + domain;
    return https.get(host, port, PATH, maxBytes, timeoutMillis)
        .recover(e -> Future.failedFuture(failure(host, e)))
        .compose(response -> {
          if (response.status() != 200) { // §3.3: redirects are not followed; any other status is a failure
            return Future.failedFuture(new FetchFailure(TlsResultType.STS_POLICY_FETCH_ERROR,
                host + " answered HTTP " + response.status() + " for " + PATH));
          }
          if (!response.mediaType().equals("text/plain")) { // §3.2: media type "text/plain"
            return Future.failedFuture(new FetchFailure(TlsResultType.STS_POLICY_INVALID,
                host + " served the policy as \"" + response.mediaType() + "\", not text/plain"));
          }
          try {
            // §3.2: the policy is US-ASCII; other bytes fail the strict parse.
            String body = response.body().toString(StandardCharsets.ISO_8859_1);
            StsPolicyParser.Parsed parsed = StsPolicyParser.parse(body, id, clock.instant());
            return Future.succeededFuture(new CachedPolicy(domain, parsed.policy(), parsed.lines()));
          } catch (PolicyInvalidException e) {
            return Future.failedFuture(new FetchFailure(TlsResultType.STS_POLICY_INVALID,
                "the policy of " + domain + " is invalid: " + e.getMessage()));
          }
        });
  }

  private static FetchFailure failure(String host, Throwable e) {
    if (e instanceof HttpsFailure f && f.kind() == HttpsFailure.Kind.CERTIFICATE) {
      return new FetchFailure(TlsResultType.STS_WEBPKI_INVALID, e.getMessage());
    }
    return new FetchFailure(TlsResultType.STS_POLICY_FETCH_ERROR,
        e.getMessage() == null ? "fetching the policy from " + host + " failed: " + e : e.getMessage());
  }
}
