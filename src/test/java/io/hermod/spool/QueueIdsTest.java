package io.hermod.spool;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class QueueIdsTest {

  @Test
  void idsAreValidUniqueAndOrderedWithinOneMillisecond() {
    QueueIds ids = new QueueIds(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), new Random(1));
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      made.add(ids.next());
    }
    made.forEach(id -> assertTrue(QueueIds.isValid(id), id));
    assertEquals(made.size(), new HashSet<>(made).size());
    assertEquals(made.stream().sorted().toList(), made);
  }

  @Test
  void laterMillisecondsSortLaterAndTwoNodesDoNotCollide() {
    QueueIds early = new QueueIds(Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC), new Random(1));
    QueueIds late = new QueueIds(Clock.fixed(Instant.ofEpochMilli(1_001), ZoneOffset.UTC), new Random(1));
    assertTrue(early.next().compareTo(late.next()) < 0);
    QueueIds nodeA = new QueueIds(Clock.fixed(Instant.ofEpochMilli(5_000), ZoneOffset.UTC), new Random(2));
    QueueIds nodeB = new QueueIds(Clock.fixed(Instant.ofEpochMilli(5_000), ZoneOffset.UTC), new Random(3));
    assertNotEquals(nodeA.next(), nodeB.next());
  }

  @Test
  void rejectsIdsThatAreNotSafeFileNames() {
    assertFalse(QueueIds.isValid("../../etc/passw"));
    assertFalse(QueueIds.isValid("01ABCDEFGHJKMNPQ"));
    assertFalse(QueueIds.isValid("01abcdefghjkmnp"));
    assertFalse(QueueIds.isValid(null));
    assertTrue(QueueIds.isValid("01abcdefghjkmnpq"));
  }
}
