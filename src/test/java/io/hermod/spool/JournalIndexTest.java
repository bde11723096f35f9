package io.hermod.spool;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The index's bookkeeping of segments, in particular around compaction copies (a second MESSAGE record). */
class JournalIndexTest {

  private static final String ID = "01kb4x7m2c9qz0ta";

  private static JournalIndex.Entry at(long segment, long offset) {
    return new JournalIndex.Entry(new JournalIndex.Range(segment, offset + 100, 10),
        new JournalIndex.Range(segment, offset, 100));
  }

  private static JournalIndex withSegments(int count) {
    JournalIndex index = new JournalIndex();
    for (long s = 1; s <= count; s++) {
      index.addSegment(s);
    }
    return index;
  }

  @Test
  void aSecondMessageRecordReplacesTheFirstAndReleasesItsSegment() {
    JournalIndex index = withSegments(3);
    index.committed(ID, at(1, 0));
    index.updated(ID, new JournalIndex.Range(2, 0, 100));
    assertEquals(List.of(3L), index.unneeded(-1));
    index.committed(ID, at(3, 0)); // the copy
    assertEquals(at(3, 0), index.get(ID));
    assertEquals(List.of(1L, 2L), index.unneeded(-1));
    assertEquals(List.of(ID), index.ids());
  }

  /** While the segment of the older copy exists, the tombstone must stay, or that copy would come back. */
  @Test
  void aTombstoneWaitsForTheSegmentsOfBothCopies() {
    JournalIndex index = withSegments(3);
    index.committed(ID, at(1, 0));
    index.committed(ID, at(2, 0));
    assertNotNull(index.removed(ID, 3));
    assertEquals(List.of(1L, 2L), index.unneeded(-1));
    index.segmentDeleted(2);
    assertEquals(List.of(1L), index.unneeded(-1), "the tombstone still waits for segment 1");
    index.segmentDeleted(1);
    assertEquals(List.of(3L), index.unneeded(-1));
  }

  @Test
  void aSegmentMostlyDeadIsSparseAndItsMessagesAreFound() {
    JournalIndex index = new JournalIndex();
    index.addSegment(1);
    index.committed(ID, at(1, 0));
    index.sized(1, 10_000);
    assertEquals(List.of(1L), index.sparse(2, 0.5));
    assertEquals(List.of(), index.sparse(1, 0.5), "never the active segment");
    List<String> found = new java.util.ArrayList<>();
    assertEquals(-1, index.inSegment(1, 0, 10, found));
    assertEquals(List.of(ID), found);
  }
}
