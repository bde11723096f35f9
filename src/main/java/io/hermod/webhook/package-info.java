/**
 * HTTP webhooks from the durable event feed (docs/events.md "Webhooks"): per configured endpoint and per node, a
 * sender reads this node's event journal from the endpoint's cursor, POSTs batches of events as signed JSON,
 * retries a failed batch with backoff until it is acknowledged, and only then moves the cursor. A slow or dead
 * endpoint falls behind on disk; it never holds more than its in-flight batches in memory.
 *
 * <p>Pure parts (signature, backoff, batch body, acknowledgement window) are separate from the Vert.x glue
 * ({@link io.hermod.webhook.WebhookSender}, {@link io.hermod.webhook.WebhookVerticle}).
 */
package io.hermod.webhook;
