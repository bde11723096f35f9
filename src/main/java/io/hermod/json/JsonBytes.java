package io.hermod.json;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Encodes a {@link JsonObject} to the same UTF-8 bytes as {@code json.toBuffer()} (Vert.x's Jackson codec: no
 * spaces, strings escaped as Jackson does), for the value types Hermod puts in its records: strings, integers,
 * booleans, null, and nested objects and arrays of those. Anything else (a double, an Instant, binary, an enum)
 * is left to Jackson for the whole object, so the bytes never differ.
 */
public final class JsonBytes {

  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);
  /** Kept per thread: most records fit, so a call allocates only its result. */
  private static final int KEEP = 64 * 1024;
  private static final ThreadLocal<JsonBytes> SCRATCH = ThreadLocal.withInitial(JsonBytes::new);

  /** Thrown inside when a value needs Jackson; never leaves this class. */
  private static final class NeedsJackson extends RuntimeException {
    NeedsJackson() {
      super(null, null, false, false);
    }
  }

  private static final NeedsJackson NEEDS_JACKSON = new NeedsJackson();

  private byte[] out = new byte[4096];
  private int length;

  private JsonBytes() {
  }

  /** The object's JSON. */
  public static byte[] encode(JsonObject json) {
    return encode(json, false);
  }

  /** The object's JSON and a newline. */
  public static byte[] encodeLine(JsonObject json) {
    return encode(json, true);
  }

  private static byte[] encode(JsonObject json, boolean newline) {
    JsonBytes w = SCRATCH.get();
    w.length = 0;
    try {
      w.object(json.getMap());
      if (newline) {
        w.write((byte) '\n');
      }
      return Arrays.copyOf(w.out, w.length);
    } catch (NeedsJackson e) {
      byte[] jackson = json.toBuffer().getBytes();
      return newline ? withNewline(jackson) : jackson;
    } finally {
      w.shrink();
    }
  }

  /** A rare large record does not pin its buffer to the thread. */
  private void shrink() {
    if (out.length > KEEP) {
      out = new byte[4096];
    }
  }

  /**
   * The object's JSON and a newline, written straight from its fields: the same bytes as
   * {@code encodeLine(JsonFields.object(fields))}.
   */
  public static byte[] encodeLine(JsonFields fields) {
    JsonBytes w = SCRATCH.get();
    w.length = 0;
    try {
      w.fields(fields);
      w.write((byte) '\n');
      return Arrays.copyOf(w.out, w.length);
    } finally {
      w.shrink();
    }
  }

  private void fields(JsonFields fields) {
    write((byte) '{');
    fields.fieldsTo(new JsonFields.FieldSink() {
      private boolean first = true;

      private void key(String key) {
        if (!first) {
          write((byte) ',');
        }
        first = false;
        string(key);
        write((byte) ':');
      }

      @Override
      public void put(String key, String value) {
        key(key);
        if (value == null) {
          write(NULL);
        } else {
          string(value);
        }
      }

      @Override
      public void put(String key, int value) {
        put(key, (long) value);
      }

      @Override
      public void put(String key, long value) {
        key(key);
        ascii(Long.toString(value));
      }

      @Override
      public void put(String key, boolean value) {
        key(key);
        write(value ? TRUE : FALSE);
      }

      @Override
      public void putStrings(String key, List<String> values) {
        key(key);
        array(values);
      }

      @Override
      public void putObjects(String key, List<? extends JsonFields> values) {
        key(key);
        write((byte) '[');
        for (int i = 0; i < values.size(); i++) {
          if (i > 0) {
            write((byte) ',');
          }
          JsonBytes.this.fields(values.get(i));
        }
        write((byte) ']');
      }
    });
    write((byte) '}');
  }

  private static byte[] withNewline(byte[] json) {
    byte[] line = Arrays.copyOf(json, json.length + 1);
    line[json.length] = '\n';
    return line;
  }

  private void object(Map<String, Object> map) {
    write((byte) '{');
    boolean first = true;
    for (Map.Entry<String, Object> e : map.entrySet()) {
      if (!first) {
        write((byte) ',');
      }
      first = false;
      string(e.getKey());
      write((byte) ':');
      value(e.getValue());
    }
    write((byte) '}');
  }

  private void array(List<?> list) {
    write((byte) '[');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        write((byte) ',');
      }
      value(list.get(i));
    }
    write((byte) ']');
  }

  private void value(Object v) {
    if (v == null) {
      write(NULL);
    } else if (v instanceof String s) {
      string(s);
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      ascii(Long.toString(((Number) v).longValue()));
    } else if (v instanceof Boolean b) {
      write(b ? TRUE : FALSE);
    } else if (v instanceof JsonObject o) {
      object(o.getMap());
    } else if (v instanceof JsonArray a) {
      array(a.getList());
    } else {
      throw NEEDS_JACKSON; // Map, List, Double, Instant, byte[], Buffer, Enum...: Jackson's own rules
    }
  }

  /** A JSON string as Jackson writes it: quote and backslash escaped, control characters as short or hex escapes. */
  @SuppressWarnings("deprecation")
  private void string(String s) {
    write((byte) '"');
    int n = s.length();
    ensure(n + 2);
    // Most strings are plain ASCII that needs no escape: find how far that goes, then copy it at once.
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
        break;
      }
      i++;
    }
    s.getBytes(0, i, out, length); // deprecated for dropping high bytes; these chars are ASCII
    length += i;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
        if (length == out.length) {
          ensure(1);
        }
        out[length++] = (byte) c;
      } else if (c < 0x80) {
        escape(c);
      } else if (c < 0x800) {
        ensure(2);
        out[length++] = (byte) (0xC0 | (c >> 6));
        out[length++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        hexEscape(c); // Jackson's UTF-8 generator writes each half of a pair as an escape, not as 4 bytes
      } else {
        ensure(3);
        out[length++] = (byte) (0xE0 | (c >> 12));
        out[length++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[length++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    write((byte) '"');
  }

  private void escape(char c) {
    char shortForm = switch (c) {
      case '"' -> '"';
      case '\\' -> '\\';
      case '\b' -> 'b';
      case '\t' -> 't';
      case '\n' -> 'n';
      case '\f' -> 'f';
      case '\r' -> 'r';
      default -> 0;
    };
    if (shortForm != 0) {
      ensure(2);
      out[length++] = '\\';
      out[length++] = (byte) shortForm;
    } else {
      hexEscape(c);
    }
  }

  private void hexEscape(char c) {
    ensure(6);
    out[length++] = '\\';
    out[length++] = 'u';
    out[length++] = HEX[c >> 12];
    out[length++] = HEX[(c >> 8) & 0xF];
    out[length++] = HEX[(c >> 4) & 0xF];
    out[length++] = HEX[c & 0xF];
  }

  private void ascii(String s) {
    ensure(s.length());
    for (int i = 0; i < s.length(); i++) {
      out[length++] = (byte) s.charAt(i);
    }
  }

  private void write(byte b) {
    ensure(1);
    out[length++] = b;
  }

  private void write(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, out, length, bytes.length);
    length += bytes.length;
  }

  private void ensure(int more) {
    if (length + more > out.length) {
      out = Arrays.copyOf(out, Math.max(out.length * 2, length + more));
    }
  }
}
