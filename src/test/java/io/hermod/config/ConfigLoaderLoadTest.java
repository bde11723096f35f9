package io.hermod.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class ConfigLoaderLoadTest {

  private static final String PROPERTY = "hermod.limits.maxRecipients";

  @TempDir
  Path dir;

  @AfterEach
  void clearProperty() {
    System.clearProperty(PROPERTY);
  }

  @Test
  void readsFileAndSystemPropertyOverride(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path file = dir.resolve("hermod.json");
    Files.writeString(file, "{\"hostname\":\"mx.load.test\",\"limits\":{\"maxRecipients\":10,\"maxErrors\":3}}");
    System.setProperty(PROPERTY, "42");
    ConfigLoader.load(vertx, file.toString()).onComplete(ctx.succeeding(c -> ctx.verify(() -> {
      assertEquals("mx.load.test", c.hostname());
      assertEquals(42, c.limits().maxRecipients()); // the system property wins over the file
      assertEquals(3, c.limits().maxErrors());
      ctx.completeNow();
    })));
  }

  @Test
  void missingFileIsOneClearLine(Vertx vertx, VertxTestContext ctx) {
    String path = dir.resolve("absent.json").toString();
    ConfigLoader.load(vertx, path).onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertInstanceOf(ConfigException.class, e);
      assertEquals("config: file " + path + " not found", e.getMessage());
      ctx.completeNow();
    })));
  }

  @Test
  void badJsonNamesTheFile(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{\"hostname\": \"x.test\",\n  oops }");
    ConfigLoader.load(vertx, file.toString()).onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertInstanceOf(ConfigException.class, e);
      assertTrue(e.getMessage().startsWith("config: file " + file + ": not valid JSON"), e.getMessage());
      assertTrue(!e.getMessage().contains("\n"), e.getMessage());
      ctx.completeNow();
    })));
  }

  /**
   * Where Jackson stopped reading, not where the object it could not close began (Vert.x's DecodeException wraps
   * Jackson's JsonParseException, whose message names the source "REDACTED" and the opening brace first).
   */
  @Test
  void badJsonIsReportedAtItsLineAndColumn(Vertx vertx) throws Exception {
    Path file = dir.resolve("broken.json");
    Map<String, String> cases = Map.of(
        "{\n  \"hostname\": \"x.test\",\n  \"limits\": {\"maxRecipients\": 5,}\n}\n",
        "Unexpected character ('}' (code 125)): was expecting double-quote to start field name at line 3, column 33",
        "{\n  \"hostname\": \"x.test\"\n  \"localDomains\": []\n}\n",
        "Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries at line 3, column 3",
        "{\n  \"hostname\": \"x.test\",\n  \"limits\": {\"maxRecipients\": 5}\n",
        "Unexpected end-of-input: expected close marker for Object (start marker at line 1, column 1) at line 4,"
            + " column 1");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Files.writeString(file, c.getKey());
      ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(vertx, file.toString()).await());
      assertEquals("config: file " + file + ": not valid JSON: " + c.getValue(), e.getMessage());
    }
  }

  @Test
  void badValueInFileNamesTheKey(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"limits\":{\"maxMessageSize\":-5}}");
    ConfigLoader.load(vertx, file.toString()).onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertEquals("config: limits.maxMessageSize: must be an integer >= 1024 (got \"-5\")", e.getMessage());
      ctx.completeNow();
    })));
  }
}
