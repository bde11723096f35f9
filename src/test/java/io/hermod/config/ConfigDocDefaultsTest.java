package io.hermod.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Default column of docs/config.md's key table says what defaults.json says: for every key whose default
 * is written as a JSON literal (`300`, `"text"`, `["localhost"]`, `null`), the literal equals the shipped
 * default. (ShippedConfigTest checks that every key has a row.)
 */
class ConfigDocDefaultsTest {

  @Test
  void everyDocumentedDefaultIsTheShippedOne() throws Exception {
    String doc = Files.readString(Path.of("docs/config.md"));
    Map<String, String> wrong = new TreeMap<>();
    int compared = 0;
    for (Map.Entry<String, Object> leaf : ConfigSchema.get().leaves().entrySet()) {
      Matcher row = Pattern.compile("(?m)^\\| `" + Pattern.quote(leaf.getKey()) + "` \\| [^|]+ \\| `([^`]*)`")
          .matcher(doc);
      if (!row.find()) {
        continue; // a default in words (listeners); ShippedConfigTest checks the row exists
      }
      compared++;
      Object documented = Json.decodeValue(row.group(1));
      if (!Json.encode(documented).equals(Json.encode(leaf.getValue()))) {
        wrong.put(leaf.getKey(), "docs " + row.group(1) + ", defaults.json " + Json.encode(leaf.getValue()));
      }
    }
    assertTrue(compared > 80, "defaults compared: " + compared);
    assertEquals(Map.of(), wrong, "docs/config.md defaults that differ from defaults.json");
  }
}
