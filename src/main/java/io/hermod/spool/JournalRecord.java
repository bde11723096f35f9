package io.hermod.spool;

import io.hermod.json.JsonBytes;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One record of the journal (docs/spool.md, "Journal records"): a fixed-width text header line, one line of
 * JSON (the envelope, or for a removal just the id), then for a new message its bytes.
 *
 * <pre>
 * #HJ T LLLLLLLL DDDDDDDD PPPPPPPP HHHHHHHH\n     (42 bytes)
 * </pre>
 * T is the {@link Type} letter, L the JSON line's length, D the message bytes' length, P the CRC32C of
 * JSON line + message bytes, H the CRC32C of the header's first 33 bytes (through the space after P);
 * numbers are 8 lower-case hex digits.
 *
 * @param data     the message bytes (views, not copied), empty for updates and removals
 * @param envelope the envelope the line encodes (told to the observer once durable); null for a removal
 */
record JournalRecord(Type type, String id, byte[] line, List<ByteBuffer> data, int dataLength, Envelope envelope) {

  enum Type {
    /** A new message: its envelope and its bytes. */
    MESSAGE('M'),
    /** A new envelope for a message earlier in the journal. */
    UPDATE('U'),
    /** The message is gone (a tombstone). */
    REMOVE('R');

    final char letter;

    Type(char letter) {
      this.letter = letter;
    }

    static Type of(byte letter) {
      for (Type t : values()) {
        if (t.letter == letter) {
          return t;
        }
      }
      return null;
    }
  }

  static final byte[] MAGIC = "#HJ ".getBytes(StandardCharsets.US_ASCII);
  static final int HEADER_LENGTH = 42;
  /** Bytes of the header its own CRC covers. */
  static final int HEADER_CRC_COVERS = 33;

  static JournalRecord message(Envelope envelope, List<ByteBuffer> data) {
    int length = data.stream().mapToInt(ByteBuffer::remaining).sum();
    return new JournalRecord(Type.MESSAGE, envelope.id(), EnvelopeFile.line(envelope), data, length, envelope);
  }

  static JournalRecord update(Envelope envelope) {
    return new JournalRecord(Type.UPDATE, envelope.id(), EnvelopeFile.line(envelope), List.of(), 0, envelope);
  }

  private static final byte[] REMOVAL_PREFIX = "{\"id\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] REMOVAL_SUFFIX = "\"}\n".getBytes(StandardCharsets.US_ASCII);

  /**
   * {"id":"<id>"} and a newline, the bytes JsonBytes writes for it. A queue id is ASCII letters and digits that
   * need no escape, so its line is put together directly: a JsonObject per removal showed in issue #17's profile.
   */
  static JournalRecord remove(String id) {
    byte[] line;
    if (QueueIds.isValid(id)) {
      line = new byte[REMOVAL_PREFIX.length + id.length() + REMOVAL_SUFFIX.length];
      System.arraycopy(REMOVAL_PREFIX, 0, line, 0, REMOVAL_PREFIX.length);
      for (int i = 0; i < id.length(); i++) {
        line[REMOVAL_PREFIX.length + i] = (byte) id.charAt(i);
      }
      System.arraycopy(REMOVAL_SUFFIX, 0, line, REMOVAL_PREFIX.length + id.length(), REMOVAL_SUFFIX.length);
    } else {
      line = JsonBytes.encodeLine(new JsonObject().put("id", id));
    }
    return new JournalRecord(Type.REMOVE, id, line, List.of(), 0, null);
  }

  int encodedLength() {
    return HEADER_LENGTH + line.length + dataLength;
  }

  /** Offset of the JSON line from the start of the record. */
  static int lineOffset() {
    return HEADER_LENGTH;
  }

  /** Appends the whole record to {@code out}. */
  void encodeInto(ByteBuffer out) {
    CRC32C payloadCrc = new CRC32C();
    payloadCrc.update(line);
    for (ByteBuffer chunk : data) {
      payloadCrc.update(chunk.duplicate());
    }
    byte[] header = header(type, line.length, dataLength, (int) payloadCrc.getValue());
    out.put(header).put(line);
    for (ByteBuffer chunk : data) {
      out.put(chunk.duplicate());
    }
  }

  static byte[] header(Type type, int lineLength, int dataLength, int payloadCrc) {
    // "#HJ T llllllll dddddddd pppppppp " then the CRC of those bytes and a newline, written in place (one
    // record per message and per removal: the string concatenation showed in issue #17).
    byte[] header = new byte[HEADER_LENGTH];
    System.arraycopy(MAGIC, 0, header, 0, MAGIC.length);
    int at = MAGIC.length;
    header[at++] = (byte) type.letter;
    header[at++] = ' ';
    at = hex(lineLength, header, at);
    header[at++] = ' ';
    at = hex(dataLength, header, at);
    header[at++] = ' ';
    at = hex(payloadCrc, header, at);
    header[at++] = ' ';
    CRC32C headerCrc = new CRC32C();
    headerCrc.update(header, 0, HEADER_CRC_COVERS);
    hex((int) headerCrc.getValue(), header, HEADER_CRC_COVERS);
    header[HEADER_LENGTH - 1] = '\n';
    return header;
  }

  private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /** Eight lower-case hex digits of {@code value} at {@code at}; returns the index after them. */
  private static int hex(int value, byte[] out, int at) {
    for (int shift = 28; shift >= 0; shift -= 4) {
      out[at++] = HEX_DIGITS[(value >>> shift) & 0xF];
    }
    return at;
  }
}
