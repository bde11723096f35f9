package io.hermod.spool;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reading records of a segment held in memory without parsing their JSON: recovery checks every record's
 * framing and CRCs but parses only each live message's newest envelope (JSON parsing is what a deep queue's
 * recovery would spend its time on), so the id of a record comes from the fixed start of its line.
 */
final class JournalFrames {

  /** A record whose framing and CRCs check out, at {@code start}. */
  record Frame(int start, JournalRecord.Type type, int lineLength, int dataLength) {

    int lineStart() {
      return start + JournalRecord.HEADER_LENGTH;
    }

    int length() {
      return JournalRecord.HEADER_LENGTH + lineLength + dataLength;
    }
  }

  /** How every envelope line starts (Envelope.toJson puts "version" then "id" first). */
  private static final byte[] ENVELOPE_START = "{\"version\":1,\"id\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] REMOVAL_START = "{\"id\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final int ID_LENGTH = 16;

  private JournalFrames() {
  }

  /**
   * The record at {@code pos}: null when its framing cannot be trusted (bad magic, header CRC or payload CRC,
   * or it runs past the end of the segment).
   */
  static Frame frame(byte[] bytes, int pos) {
    if (bytes.length - pos < JournalRecord.HEADER_LENGTH
        || !Arrays.equals(bytes, pos, pos + JournalRecord.MAGIC.length, JournalRecord.MAGIC, 0, JournalRecord.MAGIC.length)
        || bytes[pos + JournalRecord.HEADER_LENGTH - 1] != '\n') {
      return null;
    }
    JournalRecord.Type type = JournalRecord.Type.of(bytes[pos + 4]);
    long headerCrc = hex(bytes, pos + 33);
    long lineLength = hex(bytes, pos + 6);
    long dataLength = hex(bytes, pos + 15);
    long payloadCrc = hex(bytes, pos + 24);
    if (type == null || headerCrc < 0 || lineLength < 0 || dataLength < 0 || payloadCrc < 0
        || bytes[pos + 5] != ' ' || bytes[pos + 14] != ' ' || bytes[pos + 23] != ' ' || bytes[pos + 32] != ' ') {
      return null;
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, pos, JournalRecord.HEADER_CRC_COVERS);
    if (crc.getValue() != headerCrc) {
      return null;
    }
    long length = JournalRecord.HEADER_LENGTH + lineLength + dataLength;
    if (length > bytes.length - pos) {
      return null;
    }
    crc.reset();
    crc.update(bytes, pos + JournalRecord.HEADER_LENGTH, (int) (lineLength + dataLength));
    if (crc.getValue() != payloadCrc) {
      return null;
    }
    return new Frame(pos, type, (int) lineLength, (int) dataLength);
  }

  /** Start of the next record with sound framing at or after {@code from}, or -1. */
  static int next(byte[] bytes, int from) {
    for (int pos = from; pos <= bytes.length - JournalRecord.HEADER_LENGTH; pos++) {
      if (bytes[pos] == '#' && frame(bytes, pos) != null) {
        return pos;
      }
    }
    return -1;
  }

  /**
   * The queue id a sound record is about, read from the fixed start of its line when it has the usual
   * shape, else by parsing it.
   *
   * @throws IllegalArgumentException when its line names no valid queue id, or its lengths do not fit its type
   */
  static String id(byte[] bytes, Frame frame) {
    if (frame.type() != JournalRecord.Type.MESSAGE && frame.dataLength() != 0) {
      throw new IllegalArgumentException(frame.type() == JournalRecord.Type.UPDATE ? "update with message bytes"
          : "removal without a valid queue id");
    }
    byte[] start = frame.type() == JournalRecord.Type.REMOVE ? REMOVAL_START : ENVELOPE_START;
    int from = frame.lineStart();
    int idEnd = from + start.length + ID_LENGTH;
    if (frame.lineLength() > start.length + ID_LENGTH
        && Arrays.equals(bytes, from, from + start.length, start, 0, start.length) && bytes[idEnd] == '"') {
      String id = new String(bytes, from + start.length, ID_LENGTH, StandardCharsets.US_ASCII);
      if (QueueIds.isValid(id) && (frame.type() != JournalRecord.Type.REMOVE || frame.lineLength() == start.length + ID_LENGTH + 3)) {
        return id;
      }
    }
    byte[] line = Arrays.copyOfRange(bytes, from, from + frame.lineLength());
    if (frame.type() != JournalRecord.Type.REMOVE) {
      return EnvelopeFile.parse(line).id();
    }
    JsonObject json = EnvelopeFile.parseLine(line);
    if (json.getValue("id") instanceof String id && QueueIds.isValid(id)) {
      return id;
    }
    throw new IllegalArgumentException("removal without a valid queue id");
  }

  /** 8 lower-case hex digits at {@code pos}, or -1. */
  private static long hex(byte[] bytes, int pos) {
    long value = 0;
    for (int i = pos; i < pos + 8; i++) {
      int b = bytes[i];
      int digit = b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10 : -1;
      if (digit < 0) {
        return -1;
      }
      value = value << 4 | digit;
    }
    return value;
  }
}
