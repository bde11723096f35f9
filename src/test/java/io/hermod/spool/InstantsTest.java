package io.hermod.spool;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class InstantsTest {

  @Test
  void parsesWhatInstantToStringWritesExactlyAsInstantParse() {
    for (String text : List.of("2026-01-02T03:04:05Z", "2026-12-06T10:03:33.123Z", "2024-02-29T23:59:59.000001Z",
        "1970-01-01T00:00:00Z", "2026-07-15T12:00:00.123456789Z", "+12026-01-01T00:00:00Z",
        "2026-01-01T24:00:00Z", "2026-01-01T00:00:00.Z")) { // the last two: odd forms Instant.parse accepts
      assertEquals(Instant.parse(text), Instants.parse(text), text);
    }
    Instant now = Instant.now();
    assertEquals(now, Instants.parse(now.toString()));
  }

  @Test
  void rejectsWhatInstantParseRejects() {
    for (String text : List.of("2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01 00:00:00Z",
        "not a time")) {
      assertThrows(DateTimeParseException.class, () -> Instants.parse(text), text);
    }
  }
}
