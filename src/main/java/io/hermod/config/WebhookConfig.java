package io.hermod.config;

/**
 * One webhook endpoint ("webhooks[]", docs/events.md "Webhooks"): batches of events POSTed as JSON.
 *
 * @param name a unique name, also the name of its cursor in the event journal ("webhooks[].name")
 * @param url  where to POST ("webhooks[].url")
 */
public record WebhookConfig(String name, String url) {
}
