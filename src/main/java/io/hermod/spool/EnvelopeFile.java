package io.hermod.spool;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** An envelope file: the envelope as one line of JSON, UTF-8, ending in "\n" (see docs/spool.md). */
final class EnvelopeFile {

  private EnvelopeFile() {
  }

  /** Creates {@code file}, writes the envelope and fsyncs it. */
  static void write(SpoolFiles files, Path file, Envelope envelope) throws IOException {
    // Vert.x's encoder escapes control characters, so the JSON never holds a raw newline.
    byte[] line = (envelope.toJson().encode() + "\n").getBytes(StandardCharsets.UTF_8);
    SpoolFiles.OpenFile open = files.create(file);
    try {
      files.write(open, ByteBuffer.wrap(line));
      files.force(open);
    } finally {
      files.close(open);
    }
  }

  /**
   * @throws IllegalArgumentException when the file is not exactly one valid envelope for {@code id}
   *                                  (truncated, corrupted, or someone else's)
   */
  static Envelope read(SpoolFiles files, Path file, String id) throws IOException {
    byte[] bytes = files.read(file);
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("envelope is not valid UTF-8", e);
    }
    if (!text.endsWith("\n") || text.indexOf('\n') != text.length() - 1) {
      throw new IllegalArgumentException("envelope is not one complete line (" + bytes.length + " bytes)");
    }
    Envelope envelope;
    try {
      envelope = Envelope.fromJson(new JsonObject(text.substring(0, text.length() - 1)));
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      // DecodeException, ClassCastException, NullPointerException from a mangled field
      throw new IllegalArgumentException("malformed envelope: " + e.getMessage(), e);
    }
    if (!id.equals(envelope.id())) {
      throw new IllegalArgumentException("envelope belongs to " + envelope.id());
    }
    return envelope;
  }
}
