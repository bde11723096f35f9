package io.hermod.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every address constant of {@link Addresses} has a row in docs/eventbus.md's table: `address` | `CONSTANT` | pattern
 * | body (a message shape, not empty).
 */
class EventBusDocTest {

  @Test
  void everyAddressHasARowWithItsConstantAndMessageShape() throws Exception {
    String doc = Files.readString(Path.of("docs/eventbus.md"));
    TreeSet<String> missing = new TreeSet<>();
    int constants = 0;
    for (Field f : Addresses.class.getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers()) || f.getType() != String.class) {
        continue;
      }
      constants++;
      String row = "| `" + f.get(null) + "` | `" + f.getName() + "` | ";
      int at = doc.indexOf(row);
      if (at < 0) {
        missing.add(f.getName() + " = " + f.get(null));
        continue;
      }
      String[] cells = doc.substring(at, doc.indexOf('\n', at)).split(" \\| ");
      assertTrue(cells.length >= 4 && !cells[2].isBlank() && cells[3].length() > 3,
          "pattern and body for " + f.getName() + ": " + String.join(" | ", cells));
    }
    assertTrue(constants >= 7, "Addresses was read: " + constants);
    assertEquals(new TreeSet<>(), missing, "addresses missing from docs/eventbus.md's table");
  }
}
