package io.hermod.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Segment file names: 16 hex digits then ".log", exactly as String.format("%016x") named them, and back. */
class SpoolDirsTest {

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 15, 16, 255, 0x1234_5678L, 0x0fff_ffff_ffff_ffffL, Long.MAX_VALUE, -1, Long.MIN_VALUE})
  void segmentNamesAreSixteenHexDigits(long number) {
    SpoolDirs dirs = SpoolDirs.under(Path.of("/spool"));
    Path file = dirs.segment(number);
    assertEquals(Path.of("/spool/journal").resolve(String.format("%016x.log", number)), file);
    if (number >= 0) {
      assertEquals(number, SpoolDirs.segmentNumber(file));
    }
  }
}
