package io.hermod.shaping;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules in force: the shipped ones for the big providers' documented throttling replies (resource
 * {@code default-rules.json}: Gmail 4.7.28, Yahoo [TS0x]/[TSSxx], Microsoft 4.7.500/4.7.650/RP-00x, "too many
 * connections"), the operator's, and the older {@code delivery.suspendPatterns}, each a suspension for
 * {@code delivery.suspendSeconds}.
 */
public final class ShapingRules {

  private ShapingRules() {
  }

  /** The shipped rules (docs/delivery.md "Shaping rules" lists them). */
  public static List<ShapingRule> shipped() {
    try (InputStream in = ShapingRules.class.getResourceAsStream("default-rules.json")) {
      JsonArray array = new JsonArray(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      List<ShapingRule> out = new ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        out.add(ShapingRule.fromJson(array.getJsonObject(i)));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Everything in force: the shipped rules when wanted, the operator's, then the suspend patterns. */
  public static List<ShapingRule> all(boolean shipped, List<ShapingRule> operators, List<String> suspendPatterns,
                                      int suspendSeconds) {
    List<ShapingRule> out = new ArrayList<>(shipped ? shipped() : List.of());
    out.addAll(operators);
    if (suspendSeconds > 0) {
      for (int i = 0; i < suspendPatterns.size(); i++) {
        out.add(ShapingRule.fromJson(new JsonObject().put("name", "suspendPatterns[" + i + "]")
            .put("match", suspendPatterns.get(i)).put("action", "suspend").put("durationSeconds", suspendSeconds)));
      }
    }
    return out;
  }
}
