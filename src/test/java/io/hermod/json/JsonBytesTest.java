package io.hermod.json;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Vert.x's own encoder (Jackson) is the oracle: the bytes must be the same, byte for byte. */
class JsonBytesTest {

  private static void sameAsJackson(JsonObject json) {
    byte[] jackson = json.toBuffer().getBytes();
    assertArrayEquals(jackson, JsonBytes.encode(json), () -> json.encode().substring(0, Math.min(200, json.encode().length())));
    byte[] line = JsonBytes.encodeLine(json);
    assertArrayEquals(jackson, java.util.Arrays.copyOf(line, jackson.length));
    assertEquals(jackson.length + 1, line.length);
    assertEquals('\n', line[jackson.length]);
  }

  @Test
  void table() {
    sameAsJackson(new JsonObject());
    sameAsJackson(new JsonObject().put("id", "1m969pz267nv9btv").put("n", 7).put("big", Long.MAX_VALUE)
        .put("neg", -12).put("t", true).put("f", false).putNull("none"));
    sameAsJackson(new JsonObject().put("quote", "a\"b\\c/d").put("ctl", "\u0000\u0001\b\t\n\u000b\f\r\u001f\u007f")
        .put("utf8", "é ß € 𝄞 日本").put("empty", "")
        .put("lowBytesLookAscii", "\u0141\u0122\u015cA")); // Ł Ģ Ŝ: their low bytes are 'A', '"' and '\\'
    sameAsJackson(new JsonObject().put("nested", new JsonObject().put("a", new JsonArray().add(1).add("x")
        .add(new JsonObject()).addNull().add(new JsonArray()))).put("list", new JsonArray()));
    sameAsJackson(new JsonObject().put("long", "x".repeat(100_000)));
  }

  @Test
  void valuesItLeavesToJacksonStillComeOutTheSame() {
    sameAsJackson(new JsonObject().put("d", 1.5).put("s", "x"));
    sameAsJackson(new JsonObject().put("at", Instant.parse("2026-12-06T18:07:43.120Z")));
    sameAsJackson(new JsonObject().put("bytes", new byte[] {1, 2, 3}));
    sameAsJackson(new JsonObject().put("map", Map.of("k", "v")).put("list", List.of(1, 2)));
    sameAsJackson(new JsonObject().put("lone", "a\ud800b"));
    sameAsJackson(new JsonObject().put("reversed", "a\udc00\ud800b"));
  }

  @Test
  void randomObjects() {
    SplittableRandom random = new SplittableRandom(1717);
    for (int n = 0; n < 3_000; n++) {
      sameAsJackson(object(random, 0));
    }
  }

  /**
   * An object that lists its fields (JsonFields) is written straight to the bytes Jackson makes of its JsonObject:
   * random fields of every kind the sink takes, nested objects and string lists included.
   */
  @Test
  void fieldsComeOutAsJacksonWritesTheirObject() {
    SplittableRandom random = new SplittableRandom(2026);
    for (int n = 0; n < 3_000; n++) {
      JsonFields fields = fields(random, 0);
      byte[] jackson = JsonFields.object(fields).toBuffer().getBytes();
      byte[] line = JsonBytes.encodeLine(fields);
      assertArrayEquals(jackson, java.util.Arrays.copyOf(line, jackson.length),
          () -> new String(jackson, StandardCharsets.UTF_8));
      assertEquals(jackson.length + 1, line.length);
      assertEquals('\n', line[jackson.length]);
    }
  }

  private static JsonFields fields(SplittableRandom r, int depth) {
    List<java.util.function.Consumer<JsonFields.FieldSink>> puts = new java.util.ArrayList<>();
    for (int i = r.nextInt(7); i > 0; i--) {
      String key = i + string(r); // keys of an object differ, as those of Hermod's records do
      switch (r.nextInt(depth < 2 ? 7 : 6)) {
        case 0 -> { String v = string(r); puts.add(s -> s.put(key, v)); }
        case 1 -> puts.add(s -> s.put(key, (String) null));
        case 2 -> { int v = r.nextInt(); puts.add(s -> s.put(key, v)); }
        case 3 -> { long v = r.nextLong(); puts.add(s -> s.put(key, v)); }
        case 4 -> { boolean v = r.nextBoolean(); puts.add(s -> s.put(key, v)); }
        case 5 -> {
          List<String> v = new java.util.ArrayList<>();
          for (int j = r.nextInt(4); j > 0; j--) {
            v.add(string(r));
          }
          puts.add(s -> s.putStrings(key, v));
        }
        default -> {
          List<JsonFields> v = new java.util.ArrayList<>();
          for (int j = r.nextInt(3); j > 0; j--) {
            v.add(fields(r, depth + 1));
          }
          puts.add(s -> s.putObjects(key, v));
        }
      }
    }
    return sink -> puts.forEach(p -> p.accept(sink));
  }

  private static JsonObject object(SplittableRandom r, int depth) {
    JsonObject o = new JsonObject();
    for (int i = r.nextInt(6); i > 0; i--) {
      o.put(string(r), value(r, depth));
    }
    return o;
  }

  private static Object value(SplittableRandom r, int depth) {
    switch (r.nextInt(depth < 3 ? 8 : 6)) {
      case 0: return string(r);
      case 1: return r.nextInt();
      case 2: return r.nextLong();
      case 3: return r.nextBoolean();
      case 4: return null;
      case 5: return string(r) + string(r);
      case 6: return object(r, depth + 1);
      default:
        JsonArray a = new JsonArray();
        for (int i = r.nextInt(4); i > 0; i--) {
          a.add(value(r, depth + 1));
        }
        return a;
    }
  }

  private static String string(SplittableRandom r) {
    String alphabet = "ab\"\\/\u0000\u001f\n\r\t\u007fé€𝄞日\u0141\u0122\u015c"; // Ł Ģ Ŝ: low bytes 'A' '"' '\\'
    StringBuilder sb = new StringBuilder();
    for (int i = r.nextInt(10); i > 0; i--) {
      int cp = alphabet.codePointAt(alphabet.offsetByCodePoints(0, r.nextInt(alphabet.codePointCount(0, alphabet.length()))));
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }
}
