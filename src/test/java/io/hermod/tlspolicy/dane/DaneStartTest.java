package io.hermod.tlspolicy.dane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermod.config.ConfigException;
import io.hermod.testing.TestHermod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Hermod reads DANE's trust anchors at start: a bad file stops it with one line naming the key. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DaneStartTest {

  @TempDir
  Path temp;

  @Test
  void aTrustAnchorFileWithoutAnchorsStopsTheStartAndTheBuiltInOnesStart() throws Exception {
    Path anchors = Files.writeString(temp.resolve("anchors.zone"), "example.test. IN A 192.0.2.1\n");
    ConfigException e = assertThrows(ConfigException.class, () -> TestHermod.start(temp.resolve("spool"),
        dane(new JsonObject().put("enabled", true).put("trustAnchorFile", anchors.toString()))));
    assertEquals("outboundTls.dane.trustAnchorFile", e.key(), e.getMessage());
    assertTrue(e.getMessage().contains("no DS or DNSKEY record"), e.getMessage());

    TestHermod.start(temp.resolve("spool"), dane(new JsonObject().put("enabled", true))).close();
  }

  private static JsonObject dane(JsonObject dane) {
    return new JsonObject().put("outboundTls", new JsonObject().put("dane", dane));
  }
}
