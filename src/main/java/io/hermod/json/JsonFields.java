package io.hermod.json;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * An object that lists its JSON fields, in order, to a {@link FieldSink}: one description makes both its
 * {@link JsonObject} ({@link #object}) and its UTF-8 bytes ({@link JsonBytes#encodeLine(JsonFields)}, without a
 * JsonObject in between: issue #17, the envelope line written for every accepted message).
 */
public interface JsonFields {

  void fieldsTo(FieldSink sink);

  /** Where the fields go. A null String value is JSON null. */
  interface FieldSink {
    void put(String key, String value);

    void put(String key, int value);

    void put(String key, long value);

    void put(String key, boolean value);

    void putStrings(String key, List<String> values);

    void putObjects(String key, List<? extends JsonFields> values);
  }

  /** The fields as a JsonObject (ints as Integer, longs as Long, lists as JsonArrays). */
  static JsonObject object(JsonFields fields) {
    JsonObject json = new JsonObject();
    fields.fieldsTo(new FieldSink() {
      @Override
      public void put(String key, String value) {
        json.put(key, value);
      }

      @Override
      public void put(String key, int value) {
        json.put(key, value);
      }

      @Override
      public void put(String key, long value) {
        json.put(key, value);
      }

      @Override
      public void put(String key, boolean value) {
        json.put(key, value);
      }

      @Override
      public void putStrings(String key, List<String> values) {
        json.put(key, new JsonArray(new java.util.ArrayList<>(values)));
      }

      @Override
      public void putObjects(String key, List<? extends JsonFields> values) {
        JsonArray array = new JsonArray();
        values.forEach(v -> array.add(object(v)));
        json.put(key, array);
      }
    });
    return json;
  }
}
