package io.hermod.events;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The record format, without files: whole, short (torn) and corrupt records are told apart. */
class JournalRecordTest {

  static final byte[] PAYLOAD = "{\"outcome\":\"delivered\"}".getBytes(StandardCharsets.UTF_8);
  static final JournalRecord RECORD = new JournalRecord(42, 1_765_000_000_000L, PAYLOAD);

  @Test
  void aWholeRecordDecodesToItselfAndMovesPastIt() {
    ByteBuffer in = ByteBuffer.allocate(RECORD.size() * 2);
    RECORD.encode(in);
    new JournalRecord(43, 1_765_000_000_001L, new byte[0]).encode(in);
    in.flip();
    JournalRecord.Decoded first = JournalRecord.decode(in);
    assertEquals(JournalRecord.Status.OK, first.status());
    assertEquals(42, first.record().seq());
    assertEquals(1_765_000_000_000L, first.record().timeMillis());
    assertArrayEquals(PAYLOAD, first.record().payload());
    assertEquals(RECORD.size(), in.position());
    JournalRecord.Decoded second = JournalRecord.decode(in);
    assertEquals(43, second.record().seq());
    assertEquals(0, second.record().payload().length);
    assertEquals(0, in.remaining());
  }

  @Test
  void everyTruncationIsShortAndLeavesThePositionAlone() {
    byte[] whole = RECORD.encode();
    for (int length = 0; length < whole.length; length++) {
      ByteBuffer in = ByteBuffer.wrap(whole, 0, length);
      assertEquals(JournalRecord.Status.SHORT, JournalRecord.decode(in).status(), "first " + length + " bytes");
      assertEquals(0, in.position());
    }
  }

  @ParameterizedTest(name = "byte {0} flipped: {1}")
  @CsvSource({
      "4, CORRUPT", "7, CORRUPT", // checksum
      "8, CORRUPT", "15, CORRUPT", // seq
      "16, CORRUPT", "23, CORRUPT", // time
      "24, CORRUPT", "40, CORRUPT", // payload
      "0, CORRUPT", // length's high byte: negative or far too large
      "3, SHORT", // length's low byte: claims more bytes than there are (a torn tail looks the same)
  })
  void aDamagedRecordIsNeverOk(int index, JournalRecord.Status expected) {
    byte[] damaged = RECORD.encode();
    damaged[index] ^= (byte) 0x80;
    ByteBuffer in = ByteBuffer.wrap(damaged);
    assertEquals(expected, JournalRecord.decode(in).status());
    assertEquals(0, in.position());
  }

  @Test
  void aLengthBeyondTheMaximumIsCorruptNotAWaitForMoreBytes() {
    ByteBuffer in = ByteBuffer.allocate(64);
    in.putInt(JournalRecord.MAX_PAYLOAD_BYTES + 1).flip();
    assertEquals(JournalRecord.Status.CORRUPT, JournalRecord.decode(in).status());
    assertEquals(-1, JournalRecord.announcedSize(in));
  }

  @Test
  void zerosAreNotARecord() {
    // A file extended by the file system but never written (a crash after a size update) reads as zeros.
    assertEquals(JournalRecord.Status.CORRUPT, JournalRecord.decode(ByteBuffer.allocate(100)).status());
  }

  @Test
  void theChecksumCoversTheSeq() {
    assertNotEquals(new JournalRecord(1, 0, PAYLOAD).encode()[4], new JournalRecord(2, 0, PAYLOAD).encode()[4]);
  }

  @Test
  void segmentNamesCarryTheFirstSeq() {
    assertEquals("00000000000000000001.seg", Segment.fileName(1));
    assertEquals(1234567890123L, Segment.firstSeqOf(Segment.fileName(1234567890123L)));
    assertEquals(-1, Segment.firstSeqOf("cursors.json"));
    assertEquals(-1, Segment.firstSeqOf("00000000000000000001.seg.tmp"));
    assertEquals(-1, Segment.firstSeqOf("1.seg"));
  }
}
