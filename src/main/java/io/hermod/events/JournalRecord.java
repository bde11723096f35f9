package io.hermod.events;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The on-disk form of one journal entry (docs/events.md, "On disk"): a 24-byte header, then the event JSON in
 * UTF-8.
 * <pre>
 *   int   payload length (bytes)
 *   int   CRC-32C of (length, seq, time, payload)
 *   long  seq
 *   long  time appended, epoch milliseconds
 *   byte[length] payload
 * </pre>
 * A crash can leave the last records of the newest segment torn (short) or half-written (checksum mismatch):
 * {@link #decode} tells both apart from a whole record, and the journal cuts the segment there at open. Pure code.
 */
record JournalRecord(long seq, long timeMillis, byte[] payload) {

  static final int HEADER_BYTES = 24;
  /** No event comes near this; a larger length can only be garbage. */
  static final int MAX_PAYLOAD_BYTES = 1 << 20;

  int size() {
    return HEADER_BYTES + payload.length;
  }

  /** Appends this record to {@code out} (which must have {@link #size()} bytes left). */
  void encode(ByteBuffer out) {
    out.putInt(payload.length);
    out.putInt(checksum(payload.length, seq, timeMillis, payload));
    out.putLong(seq);
    out.putLong(timeMillis);
    out.put(payload);
  }

  byte[] encode() {
    ByteBuffer out = ByteBuffer.allocate(size());
    encode(out);
    return out.array();
  }

  /** What {@link #decode} found at a position. */
  enum Status {
    /** A whole record with a good checksum. */
    OK,
    /** Fewer bytes than the record claims: the end of the data, or a torn tail when no more data follows. */
    SHORT,
    /** A length out of range or a checksum mismatch: nothing from here on can be trusted. */
    CORRUPT
  }

  /** The outcome of one decode: the record when {@code status} is OK. */
  record Decoded(Status status, JournalRecord record) {
  }

  private static final Decoded SHORT = new Decoded(Status.SHORT, null);
  private static final Decoded CORRUPT = new Decoded(Status.CORRUPT, null);

  /**
   * Decodes the record at {@code in}'s position; on OK the position moves past it, otherwise it is unchanged.
   */
  static Decoded decode(ByteBuffer in) {
    if (in.remaining() < 4) {
      return SHORT;
    }
    int start = in.position();
    int length = in.getInt(start);
    if (length < 0 || length > MAX_PAYLOAD_BYTES) {
      return CORRUPT;
    }
    if (in.remaining() < HEADER_BYTES + length) {
      return SHORT;
    }
    int crc = in.getInt(start + 4);
    long seq = in.getLong(start + 8);
    long time = in.getLong(start + 16);
    byte[] payload = new byte[length];
    in.get(start + HEADER_BYTES, payload);
    if (seq <= 0 || crc != checksum(length, seq, time, payload)) {
      return CORRUPT;
    }
    in.position(start + HEADER_BYTES + length);
    return new Decoded(Status.OK, new JournalRecord(seq, time, payload));
  }

  /** The length a record's header announces, if at least its first 4 bytes are in {@code in}; -1 if not. */
  static int announcedSize(ByteBuffer in) {
    if (in.remaining() < 4) {
      return -1;
    }
    int length = in.getInt(in.position());
    return length < 0 || length > MAX_PAYLOAD_BYTES ? -1 : HEADER_BYTES + length;
  }

  private static int checksum(int length, long seq, long time, byte[] payload) {
    CRC32C crc = new CRC32C();
    ByteBuffer header = ByteBuffer.allocate(20);
    header.putInt(length).putLong(seq).putLong(time).flip();
    crc.update(header);
    crc.update(payload);
    return (int) crc.getValue();
  }
}
