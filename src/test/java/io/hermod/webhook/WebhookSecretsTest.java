package io.hermod.webhook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.config.ConfigException;
import io.hermod.config.WebhookConfig.Secret;
import io.hermod.config.WebhookConfig.Secret.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookSecretsTest {

  @TempDir
  Path dir;

  @Test
  void aFileSecretIsItsContentWithoutTheTrailingNewline() throws Exception {
    Path file = Files.writeString(dir.resolve("hook.secret"), "s3cr3t-s3cr3t-s3cr3t\n");
    assertArrayEquals(bytes("s3cr3t-s3cr3t-s3cr3t"),
        WebhookSecrets.resolve(new Secret(Kind.FILE, file.toString(), "webhooks[0].secretFile"), Map.of()));
  }

  @Test
  void anEnvSecretIsTheVariablesValue() {
    assertArrayEquals(bytes("from-the-environment"), WebhookSecrets.resolve(
        new Secret(Kind.ENV, "HOOK", "webhooks[0].secretEnv"), Map.of("HOOK", "from-the-environment")));
  }

  @Test
  void problemsNameTheKey() throws Exception {
    ConfigException missingFile = assertThrows(ConfigException.class, () -> WebhookSecrets.resolve(
        new Secret(Kind.FILE, dir.resolve("none").toString(), "webhooks[2].secretFile"), Map.of()));
    assertEquals("webhooks[2].secretFile", missingFile.key());
    ConfigException unset = assertThrows(ConfigException.class, () -> WebhookSecrets.resolve(
        new Secret(Kind.ENV, "HOOK", "webhooks[0].secretEnv"), Map.of()));
    assertEquals("webhooks[0].secretEnv", unset.key());
    assertTrue(unset.getMessage().contains("HOOK is not set"), unset.getMessage());
    Path shortOne = Files.writeString(dir.resolve("short"), "tiny\n");
    ConfigException tooShort = assertThrows(ConfigException.class, () -> WebhookSecrets.resolve(
        new Secret(Kind.FILE, shortOne.toString(), "webhooks[0].secretFile"), Map.of()));
    assertEquals("webhooks[0].secretFile", tooShort.key());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
