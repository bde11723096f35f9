package io.hermod.webhook;

import io.hermod.config.ConfigException;
import io.hermod.config.WebhookConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Resolves an endpoint's signing secret (docs/config.md "webhooks[]"): inline, from a file (its content, without
 * leading and trailing whitespace, so a trailing newline does not count), or from an environment variable. Read
 * once at start; blocking (a file read): call it on a worker thread. Errors name the configuration key.
 */
final class WebhookSecrets {

  static final int MIN_LENGTH = 16;

  private WebhookSecrets() {
  }

  static byte[] resolve(WebhookConfig.Secret secret, Map<String, String> env) {
    String value = switch (secret.kind()) {
      case INLINE -> secret.value();
      case ENV -> {
        String v = env.get(secret.value());
        if (v == null) {
          throw new ConfigException(secret.key(), "environment variable " + secret.value() + " is not set");
        }
        yield v;
      }
      case FILE -> {
        try {
          yield Files.readString(Path.of(secret.value()), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
          throw new ConfigException(secret.key(), "cannot read " + secret.value() + ": " + e.getMessage());
        }
      }
    };
    String trimmed = value.strip();
    if (trimmed.length() < MIN_LENGTH) {
      throw new ConfigException(secret.key(), "the secret must be at least " + MIN_LENGTH + " characters");
    }
    return trimmed.getBytes(StandardCharsets.UTF_8);
  }
}
