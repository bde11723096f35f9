package io.hermod.spool;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The record header's layout (docs/spool.md): "#HJ T llllllll dddddddd pppppppp cccccccc\n", hex lower case. */
class JournalRecordHeaderTest {

  private static String expected(char type, int line, int data, int payloadCrc) {
    String covered = String.format("#HJ %c %08x %08x %08x ", type, line, data, payloadCrc);
    CRC32C crc = new CRC32C();
    crc.update(covered.getBytes(StandardCharsets.US_ASCII));
    return covered + String.format("%08x", (int) crc.getValue()) + "\n";
  }

  @Test
  void headerBytes() {
    int[][] cases = {{0, 0, 0}, {1, 2, 3}, {0x7fffffff, 0x10, 0xcafe}, {412, 1024, -1}, {9, 0, Integer.MIN_VALUE}};
    for (JournalRecord.Type type : JournalRecord.Type.values()) {
      for (int[] c : cases) {
        byte[] header = JournalRecord.header(type, c[0], c[1], c[2]);
        assertEquals(JournalRecord.HEADER_LENGTH, header.length);
        assertEquals(expected(type.letter, c[0], c[1], c[2]), new String(header, StandardCharsets.US_ASCII));
      }
    }
  }
}
