package io.hermod.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** webhooks[]: the defaults of the optional keys, and what a full element binds to (docs/config.md "webhooks[]"). */
class WebhookConfigTest {

  @Test
  void optionalKeysTakeTheirDocumentedDefaults() {
    HermodConfig c = ConfigLoader.fromJson(new JsonObject("""
        {"webhooks": [{"name": "billing", "url": "https://hooks.example.com/hermod", "secretEnv": "HOOK_SECRET"}]}
        """));
    assertEquals(List.of(new WebhookConfig("billing", URI.create("https://hooks.example.com/hermod"),
        new WebhookConfig.Secret(WebhookConfig.Secret.Kind.ENV, "HOOK_SECRET", "webhooks[0].secretEnv"),
        100, 1_048_576, 1000, 1, 10_000, 1000, 300_000, Set.of(), Map.of())), c.webhooks());
    assertEquals("webhook:billing", c.webhooks().get(0).cursorName());
  }

  @Test
  void everyKeySet() {
    HermodConfig c = ConfigLoader.fromJson(new JsonObject("""
        {"webhooks": [
          {"name": "a", "url": "http://127.0.0.1:8080/a", "secret": "0123456789abcdef0123"},
          {"name": "bounces", "url": "http://127.0.0.1:8080/b?team=x", "secretFile": "/etc/hermod/hook.secret",
           "batchSize": 500, "maxBatchBytes": 2048, "lingerMillis": 0, "concurrency": 4, "timeoutMillis": 500,
           "retryInitialMillis": 50, "retryMaxMillis": 60000, "outcomes": ["Bounced", "deferred"],
           "headers": {"Authorization": "Bearer t0k3n", "X-Team": "mail"}}]}
        """));
    WebhookConfig b = c.webhooks().get(1);
    assertEquals(new WebhookConfig("bounces", URI.create("http://127.0.0.1:8080/b?team=x"),
        new WebhookConfig.Secret(WebhookConfig.Secret.Kind.FILE, "/etc/hermod/hook.secret", "webhooks[1].secretFile"),
        500, 2048, 0, 4, 500, 50, 60_000, Set.of("bounced", "deferred"),
        Map.of("Authorization", "Bearer t0k3n", "X-Team", "mail")), b);
    assertFalse(c.webhooks().get(0).toString().contains("0123456789abcdef0123"), "an inline secret is never printed");
  }
}
