package io.hermod.cluster;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SlotShareTest {

  private static JsonObject entry(int held, int wanted) {
    return new JsonObject().put(SlotShare.HELD, held).put(SlotShare.WANTED, wanted);
  }

  @Test
  void aloneANodeGetsWhatItWantsUpToTheCap() {
    assertEquals(new SlotShare(7, 7), SlotShare.decide(10, Map.of(), 7, 0));
    assertEquals(new SlotShare(10, 10), SlotShare.decide(10, Map.of(), 10, 3));
  }

  @Test
  void onlyWhatOthersDoNotHoldIsGranted() {
    assertEquals(new SlotShare(4, 4), SlotShare.decide(10, Map.of("b", entry(6, 6)), 8, 0));
    assertEquals(new SlotShare(0, 0), SlotShare.decide(10, Map.of("b", entry(10, 10)), 8, 0));
  }

  @Test
  void whileAnotherNodeStarvesAHolderShrinksToAnEqualShareButKeepsOpenConnections() {
    // We hold 10 of 10 with 10 open; b wants 10 and holds nothing: granted 5, still recorded 10 until they close.
    assertEquals(new SlotShare(5, 10), SlotShare.decide(10, Map.of("b", entry(0, 10)), 10, 10));
    // Once only 5 are open the record drops to 5, and b can take the rest.
    assertEquals(new SlotShare(5, 5), SlotShare.decide(10, Map.of("b", entry(0, 10)), 10, 5));
    assertEquals(new SlotShare(5, 5), SlotShare.decide(10, Map.of("a", entry(5, 10)), 10, 0));
  }

  @Test
  void withFewerSlotsThanWaitingNodesAHolderGivesItsSlotBackAfterItsTurn() {
    // Cap 1, b waits: during our turn we keep the slot; once the turn is over we give it back (recorded
    // until our connection closes), then b's refresh finds it free.
    assertEquals(new SlotShare(1, 1), SlotShare.decide(1, Map.of("b", entry(0, 1)), 1, 1, false));
    assertEquals(new SlotShare(0, 1), SlotShare.decide(1, Map.of("b", entry(0, 1)), 1, 1, true));
    assertEquals(new SlotShare(0, 0), SlotShare.decide(1, Map.of("b", entry(0, 1)), 1, 0, true));
    assertEquals(new SlotShare(1, 1), SlotShare.decide(1, Map.of("a", entry(0, 1)), 1, 0, false));
    // With enough slots for every waiting node an equal share is at least one: no turns.
    assertEquals(new SlotShare(2, 2), SlotShare.decide(4, Map.of("b", entry(0, 4)), 4, 2, true));
    // Nobody else waits: a long holder keeps its slot.
    assertEquals(new SlotShare(1, 1), SlotShare.decide(1, Map.of(), 1, 1, true));
  }

  @Test
  void anIdleNodeRecordsNothingAndAStaleOverCommitGrantsNothing() {
    assertEquals(new SlotShare(0, 0), SlotShare.decide(10, Map.of("b", entry(3, 3)), 0, 0));
    assertEquals(new SlotShare(0, 2), SlotShare.decide(10, Map.of("b", entry(12, 12)), 5, 2));
  }

  @Test
  void idleConnectionsAreKeptUntilAnotherNodeWaitsForSlots() {
    // Nothing to send, 2 connections idle for reuse: kept (and counted) while nobody else wants slots.
    assertEquals(new SlotShare(2, 2), SlotShare.decide(4, Map.of("b", entry(2, 2)), 0, 2));
    // b waits for more than it holds: we want nothing, so our limit drops to 0 (the idle ones close) but they
    // stay counted until they have.
    assertEquals(new SlotShare(0, 2), SlotShare.decide(4, Map.of("b", entry(2, 4)), 0, 2));
  }
}
