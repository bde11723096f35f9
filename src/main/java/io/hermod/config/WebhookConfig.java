package io.hermod.config;

import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * One webhook endpoint ("webhooks[]", docs/config.md, docs/events.md "Webhooks"): batches of events from this
 * node's event journal POSTed as JSON, signed with HMAC-SHA256.
 *
 * @param name                a unique name, also the name of its cursor in the event journal, "webhook:" + name
 *                            ("webhooks[].name")
 * @param url                 where to POST, http or https ("webhooks[].url")
 * @param secret              where the signing secret comes from ("webhooks[].secret", "secretFile" or "secretEnv")
 * @param batchSize           at most this many events per POST ("webhooks[].batchSize")
 * @param maxBatchBytes       about this many bytes of event JSON per POST, at least one event
 *                            ("webhooks[].maxBatchBytes")
 * @param lingerMillis        how long a partial batch waits for more events ("webhooks[].lingerMillis")
 * @param concurrency         batches in flight at once ("webhooks[].concurrency")
 * @param timeoutMillis       a POST without a complete answer after this long failed ("webhooks[].timeoutMillis")
 * @param retryInitialMillis  the first retry's delay ("webhooks[].retryInitialMillis")
 * @param retryMaxMillis      the longest retry delay ("webhooks[].retryMaxMillis")
 * @param outcomes            the outcomes sent ("delivered", "deferred", ...); empty = all ("webhooks[].outcomes")
 * @param headers             extra request headers ("webhooks[].headers")
 */
public record WebhookConfig(String name, URI url, Secret secret, int batchSize, int maxBatchBytes, int lingerMillis,
                            int concurrency, int timeoutMillis, int retryInitialMillis, int retryMaxMillis,
                            Set<String> outcomes, Map<String, String> headers) {

  /** The journal cursor of this endpoint (docs/events.md). */
  public String cursorName() {
    return "webhook:" + name;
  }

  /**
   * Where the signing secret is: in the configuration itself, in a file, or in an environment variable (so it
   * can stay out of the JSON). {@code key} is the configuration key it was given under, for error messages.
   */
  public record Secret(Kind kind, String value, String key) {

    public enum Kind { INLINE, FILE, ENV }

    @Override
    public String toString() {
      // Never print an inline secret (config dumps, logs).
      return kind == Kind.INLINE ? "Secret[inline]" : "Secret[" + kind + " " + value + "]";
    }
  }
}
