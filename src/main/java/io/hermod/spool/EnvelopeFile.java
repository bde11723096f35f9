package io.hermod.spool;

import io.hermod.json.JsonBytes;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The envelope as one line of JSON, UTF-8, ending in "\n" (see docs/spool.md): the content of an envelope
 * file, and the envelope part of a journal record.
 */
final class EnvelopeFile {

  private EnvelopeFile() {
  }

  /** The envelope's line. Vert.x's encoder escapes control characters, so the JSON never holds a raw newline. */
  static byte[] line(Envelope envelope) {
    return JsonBytes.encodeLine(envelope); // UTF-8 straight from its fields, no JsonObject (issue #17)
  }

  /** Creates {@code file}, writes the envelope and fsyncs it. */
  static void write(SpoolFiles files, Path file, Envelope envelope) throws IOException {
    SpoolFiles.OpenFile open = files.create(file);
    try {
      files.write(open, ByteBuffer.wrap(line(envelope)));
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
    Envelope envelope = parse(files.read(file));
    if (!id.equals(envelope.id())) {
      throw new IllegalArgumentException("envelope belongs to " + envelope.id());
    }
    return envelope;
  }

  /** @throws IllegalArgumentException unless {@code bytes} is exactly one line holding a valid envelope */
  static Envelope parse(byte[] bytes) {
    JsonObject json = parseLine(bytes);
    try {
      Envelope envelope = Envelope.fromJson(json);
      if (!QueueIds.isValid(envelope.id())) {
        throw new IllegalArgumentException("envelope has no valid queue id");
      }
      return envelope;
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      // ClassCastException, NullPointerException from a mangled field
      throw new IllegalArgumentException("malformed envelope: " + e.getMessage(), e);
    }
  }

  /** @throws IllegalArgumentException unless {@code bytes} is one line of UTF-8 JSON ending in "\n" */
  static JsonObject parseLine(byte[] bytes) {
    String text = ascii(bytes) ? new String(bytes, StandardCharsets.US_ASCII) : utf8(bytes);
    if (!text.endsWith("\n") || text.indexOf('\n') != text.length() - 1) {
      throw new IllegalArgumentException("envelope is not one complete line (" + bytes.length + " bytes)");
    }
    try {
      return new JsonObject(text.substring(0, text.length() - 1));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed envelope: " + e.getMessage(), e);
    }
  }

  /** Most envelopes are ASCII; a strict UTF-8 decoder per line costs more than this check (recovery parses millions). */
  private static boolean ascii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("envelope is not valid UTF-8", e);
    }
  }
}
